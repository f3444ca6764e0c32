import { resolveSchema, schemaBranches, type OperationInfo } from '../contract/index.js';

/** Something a server said that the contract accepts but has never seen: worth knowing, not a failure. */
export interface Drift {
  kind: 'task-status' | 'detail-word' | 'output-shape' | 'unknown-member';
  operationId: string;
  /** The status or word, the outputData members, or the JSON path of the member. */
  value: string;
  count: number;
  /** The first entry (0-based) that showed it. */
  firstEntry: number;
}

type Schema = Record<string, unknown>;

const MAX_DEPTH = 32;
/** Kinds of drift kept per recording; a server that invents a member per answer is reported in part. */
const MAX_DRIFTS = 200;

const component = (name: string) => resolveSchema({ $ref: `#/components/schemas/${name}` });

/** Whether outputData fits a shape the vendor showed (number upload, customer, empty). */
const knownOutputShape = (data: Schema) =>
  ['NumberWorkflowOutputData', 'CustomerOutputData', 'EmptyOutputData'].some((name) => {
    const s = component(name);
    const keys = Object.keys(data);
    if (!s) return false;
    if (s.maxProperties === 0) return keys.length === 0;
    const props = Object.keys((s.properties as Schema | undefined) ?? {});
    return (
      ((s.required as string[] | undefined) ?? []).every((r) => r in data) &&
      keys.every((k) => props.includes(k))
    );
  });

export class DriftCollector {
  private readonly found = new Map<string, Drift>();
  private readonly statuses = new Set((component('TaskStatus')?.enum as string[] | undefined) ?? []);
  private readonly words = new Set((component('TaskDetail')?.examples as string[] | undefined) ?? []);

  /** Looks at one parsed response body of a declared status. */
  observe({ operationId, responses }: OperationInfo, status: number, json: unknown, entry: number): void {
    const pointer = responses[String(status)]?.schemaPointer;
    const schema = pointer && resolveSchema({ $ref: `#${pointer}` });
    if (!schema || json === undefined) return;
    const note = (kind: Drift['kind'], value: string) => {
      const key = `${kind}\u0000${operationId}\u0000${value}`;
      const seen = this.found.get(key);
      const drift = { kind, operationId, value, count: 1, firstEntry: entry };
      if (seen) seen.count++;
      else if (this.found.size < MAX_DRIFTS) this.found.set(key, drift);
    };
    const walk = (schema: unknown, value: unknown, path: string, depth: number): void => {
      if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
      const all = schemaBranches(schema);
      if (Array.isArray(value)) {
        const items = all.map((b) => b.items).find((i) => i !== undefined);
        if (items !== undefined)
          value.slice(0, 100).forEach((v, i) => walk(items, v, `${path}/${i}`, depth + 1));
        return;
      }
      const record = value as Schema;
      const titles = new Set(all.map((b) => b.title));
      if (titles.has('Task')) {
        if (typeof record.status === 'string' && !this.statuses.has(record.status))
          note('task-status', record.status);
        if (Array.isArray(record.details))
          for (const w of record.details)
            if (typeof w === 'string' && !this.words.has(w)) note('detail-word', w);
      }
      if (titles.has('TaskOutputData') && !knownOutputShape(record))
        note('output-shape', `{${Object.keys(record).sort().join(', ')}}`);
      // The first branch that declares a member gives its schema.
      const declared = new Map(all.flatMap((b) => Object.entries((b.properties as Schema) ?? {})).reverse());
      // A map by design (customer variables): its keys are data, not members.
      const openMap = all.some(
        (b) => (b.additionalProperties && typeof b.additionalProperties === 'object') || b.patternProperties,
      );
      for (const [k, v] of Object.entries(record)) {
        const sub = declared.get(k);
        if (sub !== undefined) walk(sub, v, `${path}/${k}`, depth + 1);
        else if (!openMap) note('unknown-member', `${path}/${k}`);
      }
    };
    walk(schema, json, '', 0);
  }

  list(): Drift[] {
    return [...this.found.values()];
  }
}

export function driftText(d: Drift): string {
  const what =
    d.kind === 'task-status'
      ? `task status ${JSON.stringify(d.value)}`
      : d.kind === 'detail-word'
        ? `details word ${JSON.stringify(d.value)} (known: Converted, Failed, ValidationFailed, CustomerAlreadyConverted)`
        : d.kind === 'output-shape'
          ? `outputData shape ${d.value}, which no vendor page shows`
          : `member ${d.value}, which the contract does not declare`;
  return `${d.operationId}: ${what} — ${d.count}× (first in entry ${d.firstEntry})`;
}
