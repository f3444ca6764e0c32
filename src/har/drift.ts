import { loadSpec, type OperationInfo } from '../contract/index.js';
import { resolveRef } from '../internal/refs.js';

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

const resolve = (schema: unknown): Schema | undefined => resolveRef(loadSpec(), schema);

/** The schema and every branch of its anyOf/oneOf/allOf, resolved, recursively. */
function branches(schema: unknown, depth = 0): Schema[] {
  const s = resolve(schema);
  if (!s || depth > MAX_DEPTH) return [];
  const out = [s];
  for (const k of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(s[k])) for (const b of s[k] as unknown[]) out.push(...branches(b, depth + 1));
  return out;
}

const componentName = (name: string) => resolve({ $ref: `#/components/schemas/${name}` });

export class DriftCollector {
  private readonly found = new Map<string, Drift>();
  private readonly statuses: Set<string>;
  private readonly words: Set<string>;

  constructor() {
    this.statuses = new Set((componentName('TaskStatus')?.enum as string[] | undefined) ?? []);
    this.words = new Set((componentName('TaskDetail')?.examples as string[] | undefined) ?? []);
  }

  private note(kind: Drift['kind'], operationId: string, value: string, entry: number) {
    const key = `${kind}\u0000${operationId}\u0000${value}`;
    const seen = this.found.get(key);
    if (seen) seen.count++;
    else if (this.found.size < MAX_DRIFTS)
      this.found.set(key, { kind, operationId, value, count: 1, firstEntry: entry });
  }

  /** Looks at one parsed response body of a declared status. */
  observe(operation: OperationInfo, status: number, json: unknown, entry: number): void {
    const pointer = operation.responses[String(status)]?.schemaPointer;
    if (!pointer || json === undefined) return;
    const schema = resolve({ $ref: `#${pointer}` });
    if (!schema) return;
    this.walk(operation.operationId, schema, json, '', entry, 0);
  }

  private walk(
    op: string,
    schema: unknown,
    value: unknown,
    path: string,
    entry: number,
    depth: number,
  ): void {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    const all = branches(schema);
    if (Array.isArray(value)) {
      const items = all.map((b) => b.items).find((i) => i !== undefined);
      if (items !== undefined)
        value.slice(0, 100).forEach((v, i) => this.walk(op, items, v, `${path}/${i}`, entry, depth + 1));
      return;
    }
    const record = value as Record<string, unknown>;
    const titles = new Set(all.map((b) => b.title));
    if (titles.has('Task')) this.task(op, record, entry);
    if (titles.has('TaskOutputData')) this.outputShape(op, record, entry);
    const declared = new Map<string, unknown>();
    let openMap = false;
    for (const b of all) {
      for (const [k, v] of Object.entries((b.properties as Schema | undefined) ?? {}))
        if (!declared.has(k)) declared.set(k, v);
      // A map by design (customer variables): its keys are data, not members.
      if (b.additionalProperties && typeof b.additionalProperties === 'object') openMap = true;
      if (b.patternProperties) openMap = true;
    }
    for (const [k, v] of Object.entries(record)) {
      const sub = declared.get(k);
      if (sub !== undefined) this.walk(op, sub, v, `${path}/${k}`, entry, depth + 1);
      else if (!openMap) this.note('unknown-member', op, `${path}/${k}`, entry);
    }
  }

  private task(op: string, task: Record<string, unknown>, entry: number) {
    if (typeof task.status === 'string' && !this.statuses.has(task.status))
      this.note('task-status', op, task.status, entry);
    if (Array.isArray(task.details))
      for (const w of task.details)
        if (typeof w === 'string' && !this.words.has(w)) this.note('detail-word', op, w, entry);
  }

  /** outputData fits a shape the vendor showed (number upload, customer, empty), or is a new one. */
  private outputShape(op: string, data: Record<string, unknown>, entry: number) {
    const keys = Object.keys(data);
    const known = ['NumberWorkflowOutputData', 'CustomerOutputData', 'EmptyOutputData'].some((name) => {
      const s = componentName(name);
      if (!s) return false;
      const required = (s.required as string[] | undefined) ?? [];
      const props = Object.keys((s.properties as Schema | undefined) ?? {});
      if (s.maxProperties === 0) return keys.length === 0;
      return required.every((r) => r in data) && keys.every((k) => props.includes(k));
    });
    if (!known) this.note('output-shape', op, `{${keys.sort().join(', ')}}`, entry);
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
