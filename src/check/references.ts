// Members of a request body whose value names something the server must already hold (an SBC and
// its scripts): the schema says "an int64", but only the server knows which ones exist. The
// generator mostly keeps the example's value there; a 400 that names only such members is the
// server's state, not a refusal of the data (positive_data_acceptance).
import { specExample, type OperationInfo } from '../contract/index.js';
import { resolve, schemaAt } from './schema.js';

export const at = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );

/** The operation's first request example (the one the deterministic cases send). */
export const exampleBody = (op: OperationInfo): unknown => {
  const name = op.requestBody?.examples[0];
  return name ? specExample(name) : undefined;
};

/**
 * The body members (dotted, `siteLocation.sbcId`) whose values name something the server must
 * already hold: the int64 members the operation's example gives a value for.
 */
export function referenceMembers(op: OperationInfo): string[] {
  if (!op.requestBody) return [];
  const example = exampleBody(op);
  const out: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    const schema = resolve(node);
    if (schema.type === 'integer' && schema.format === 'int64' && typeof at(example, path) === 'number')
      out.push(path.join('.'));
    for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, unknown>))
      if (path.length < 8) walk(v, [...path, k]);
  };
  walk(schemaAt(op.requestBody.schemaPointer), []);
  return out;
}

/** `$.siteLocation.sbcId`, `/siteLocation/sbcId`, `siteLocation.sbcId`: one dotted form. */
const dotted = (key: string) =>
  key
    .replace(/^\$\.?/, '')
    .replace(/^\//, '')
    .replace(/\//g, '.');

/**
 * A 400 whose `errors` name only reference members: the server does not hold what they name (an
 * SBC of another tenant), which the schema cannot say. The data itself was not refused.
 */
export function refusesOnlyReferences(op: OperationInfo, status: number, json: unknown): boolean {
  const errors = status === 400 ? (json as { errors?: unknown } | null | undefined)?.errors : undefined;
  if (!errors || typeof errors !== 'object') return false;
  const keys = Object.keys(errors);
  const refs = new Set(referenceMembers(op).map((r) => r.toLowerCase()));
  return keys.length > 0 && keys.every((k) => refs.has(dotted(k).toLowerCase()));
}
