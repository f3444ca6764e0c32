// Which ids flow where, read from the links of the workflow document beside the contract
// (spec/workflows/provisioning.arazzo.json), not from a list of operations: a step's path parameter
// bound to `$steps.<step>.outputs.<name>` takes an id of kind <name>, and every step output of that
// name that reads an answer (`$response.body#/pointer`) says which operation's answers hold such
// ids. So an import is sent for a customer the run itself created, not only for a random uuid that
// is always 404.
import { workflowDocument } from '../arazzo.js';
import { atPointer } from '../../../scripts/spec-walk.mjs';
import { bodyPointer, stepOutput } from '../expressions.js';

/**
 * A path parameter that takes ids of kind `name`, and where such ids come from: the 2xx bodies of
 * an operation, at a JSON pointer ('' is the whole body).
 */
export interface IdLink {
  operationId: string;
  param: string;
  name: string;
  sources: { operationId: string; pointer: string }[];
}

/** The links of the project's workflow document. */
export function idLinks(): IdLink[] {
  const steps = workflowDocument.workflows.flatMap((w) => w.steps);
  const sources = new Map<string, IdLink['sources']>();
  for (const { operationId, outputs } of steps)
    for (const [name, expression] of Object.entries(outputs ?? {})) {
      const pointer = bodyPointer(expression);
      const list = sources.get(name) ?? [];
      if (pointer !== undefined && !list.some((s) => s.operationId === operationId && s.pointer === pointer))
        sources.set(name, [...list, { operationId, pointer }]);
    }
  const links: IdLink[] = [];
  for (const { operationId, parameters } of steps)
    for (const p of parameters ?? []) {
      const name = p.in === 'path' && typeof p.value === 'string' ? stepOutput(p.value)?.[1] : undefined;
      const from = (sources.get(name ?? '') ?? []).filter((s) => s.operationId !== operationId);
      if (from.length && !links.some((l) => l.operationId === operationId && l.param === p.name))
        links.push({ operationId, param: p.name, name: name!, sources: from });
    }
  return links;
}

/** Ids per kind at most: the newest are kept. */
const MAX_KNOWN_IDS = 50;

/** The ids the run's answers gave, by kind: filled as 2xx answers come, read when a case is drawn. */
export class KnownIds {
  readonly #byName = new Map<string, string[]>();
  readonly links = idLinks();

  /** Notes the ids a 2xx answer of `operationId` holds. */
  note(operationId: string, json: unknown): void {
    for (const link of this.links)
      for (const s of link.sources) {
        const v = s.operationId === operationId ? atPointer(json, s.pointer) : undefined;
        const list = this.of(link.name);
        if ((typeof v === 'string' || typeof v === 'number') && !list.includes(String(v)))
          this.#byName.set(link.name, [...list, String(v)].slice(-MAX_KNOWN_IDS));
      }
  }

  /** The ids of kind `name` known now, oldest first. */
  of(name: string): readonly string[] {
    return this.#byName.get(name) ?? [];
  }

  /** The write operations whose answers feed `operationId`'s parameters (it runs after them). */
  sourcesOf(operationId: string): string[] {
    const links = this.links.filter((l) => l.operationId === operationId);
    return [...new Set(links.flatMap((l) => l.sources.map((s) => s.operationId)))];
  }
}
