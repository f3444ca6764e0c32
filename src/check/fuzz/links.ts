// Which ids flow where, read from the links of the workflow document beside the contract
// (spec/workflows/provisioning.arazzo.json), not from a list of operations: a step's path parameter
// bound to `$steps.<step>.outputs.<name>` takes an id of kind <name>, and every step output of that
// name that reads an answer (`$response.body#/pointer`) says which operation's answers hold such
// ids. So an import is sent for a customer the run itself created, not only for a random uuid that
// is always 404.
import { workflowDocument } from '../arazzo.js';

/** Where answers hold an id: the 2xx body of `operationId`, at a JSON pointer ('' is the whole body). */
export interface IdSource {
  operationId: string;
  pointer: string;
}

/** A path parameter that takes ids of kind `name`, and where such ids come from. */
export interface IdLink {
  operationId: string;
  param: string;
  name: string;
  sources: IdSource[];
}

const STEP_OUTPUT = /^\$steps\.[^.]+\.outputs\.(.+)$/;
const RESPONSE_BODY = /^\$response\.body(?:#(\/.*))?$/;

/** The links of a workflow document (the project's by default). */
export function idLinks(document = workflowDocument): IdLink[] {
  const sources = new Map<string, IdSource[]>();
  for (const step of document.workflows.flatMap((w) => w.steps))
    for (const [name, expression] of Object.entries(step.outputs ?? {})) {
      const m = RESPONSE_BODY.exec(expression);
      if (!m) continue;
      const list = sources.get(name) ?? [];
      const source = { operationId: step.operationId, pointer: m[1] ?? '' };
      if (!list.some((s) => s.operationId === source.operationId && s.pointer === source.pointer))
        list.push(source);
      sources.set(name, list);
    }
  const links: IdLink[] = [];
  for (const step of document.workflows.flatMap((w) => w.steps))
    for (const p of step.parameters ?? []) {
      const m = p.in === 'path' && typeof p.value === 'string' ? STEP_OUTPUT.exec(p.value) : null;
      if (!m || links.some((l) => l.operationId === step.operationId && l.param === p.name)) continue;
      const from = (sources.get(m[1]!) ?? []).filter((s) => s.operationId !== step.operationId);
      if (from.length)
        links.push({ operationId: step.operationId, param: p.name, name: m[1]!, sources: from });
    }
  return links;
}

/** Reads a JSON pointer ('' is the value itself). */
function atPointer(value: unknown, pointer: string): unknown {
  if (!pointer) return value;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}

/** Ids per kind at most: the newest are kept. */
export const MAX_KNOWN_IDS = 50;

/** The ids the run's answers gave, by kind: filled as 2xx answers come, read when a case is drawn. */
export class KnownIds {
  readonly #byName = new Map<string, string[]>();
  constructor(readonly links: IdLink[] = idLinks()) {}

  /** Notes the ids a 2xx answer of `operationId` holds. */
  note(operationId: string, json: unknown): void {
    for (const link of this.links)
      for (const s of link.sources) {
        if (s.operationId !== operationId) continue;
        const v = atPointer(json, s.pointer);
        if (typeof v !== 'string' && typeof v !== 'number') continue;
        const list = this.#byName.get(link.name) ?? [];
        if (list.includes(String(v))) continue;
        list.push(String(v));
        if (list.length > MAX_KNOWN_IDS) list.shift();
        this.#byName.set(link.name, list);
      }
  }

  /** The ids of kind `name` known now, oldest first. */
  of(name: string): readonly string[] {
    return this.#byName.get(name) ?? [];
  }

  /** The write operations whose answers feed `operationId`'s parameters (it runs after them). */
  sourcesOf(operationId: string): string[] {
    return [
      ...new Set(
        this.links
          .filter((l) => l.operationId === operationId)
          .flatMap((l) => l.sources.map((s) => s.operationId)),
      ),
    ];
  }
}
