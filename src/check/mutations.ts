import { loadSpec } from '../contract/index.js';

type Schema = Record<string, unknown>;

/** A body that breaks exactly one constraint of the request schema, named after it. */
export interface Mutation {
  /** e.g. `/customerShortName minLength`. */
  label: string;
  body: unknown;
}

function resolve(node: unknown): Schema {
  let current = node as Schema | undefined;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || hops > 20) return {};
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (o, k) => (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')],
        loadSpec(),
      ) as Schema | undefined;
  }
  return current ?? {};
}

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

function typesOf(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}

/** A value whose JSON type the schema does not allow (an integer counts as a number). */
function wrongTypeValue(allowed: string[]): unknown {
  const candidates: unknown[] = [12345, 'ct-not-this-type', true, ['ct'], { ct: 'x' }, null];
  return candidates.find((c) => {
    const t = jsonType(c);
    return !allowed.includes(t) && !(t === 'integer' && allowed.includes('number'));
  });
}

const PATTERN_BREAKERS = ['has space', 'a/b', 'dot.ted', '***', '-', '', '0', 'zz'];

function patternBreaker(schema: Schema, pattern: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const failing = PATTERN_BREAKERS.filter((c) => !re.test(c));
  // Prefer a value that breaks only the pattern, so the case names one constraint.
  return failing.find((c) => c.length >= min && c.length <= max) ?? failing[0];
}

function setAt(base: unknown, path: string[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const root = structuredClone(base) as Record<string, unknown>;
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return root;
}

const pointer = (path: string[]) => (path.length ? `/${path.join('/')}` : '/');

/**
 * Walks the request schema alongside a valid body and returns one violating body per constraint
 * (required, type, enum, pattern, minLength, maxLength, additionalProperties: false). Properties the
 * base body leaves out get a bad value of their own, so optional fields are covered too.
 */
export function mutationsOf(schemaNode: unknown, base: unknown): Mutation[] {
  const out: Mutation[] = [];
  const walk = (node: unknown, value: unknown, path: string[], depth: number) => {
    if (depth > 8) return;
    const schema = resolve(node);
    const at = pointer(path);
    const types = typesOf(schema);
    if (types.length) {
      const bad = wrongTypeValue(types);
      if (bad !== undefined) out.push({ label: `${at} type`, body: setAt(base, path, bad) });
    }
    if (Array.isArray(schema.enum) && schema.enum.length) {
      const bad = typeof schema.enum[0] === 'string' ? 'CT_NOT_IN_ENUM' : 987654321;
      out.push({ label: `${at} enum`, body: setAt(base, path, bad) });
    }
    const isString = types.includes('string') && (value === undefined || typeof value === 'string');
    if (isString && typeof schema.pattern === 'string') {
      const bad = patternBreaker(schema, schema.pattern);
      if (bad !== undefined) out.push({ label: `${at} pattern`, body: setAt(base, path, bad) });
    }
    if (isString && typeof schema.minLength === 'number' && schema.minLength > 0) {
      const seed = typeof value === 'string' && value.length ? value : 'abcdefgh';
      const short = seed.padEnd(schema.minLength, seed).slice(0, schema.minLength - 1);
      out.push({ label: `${at} minLength`, body: setAt(base, path, short) });
    }
    if (isString && typeof schema.maxLength === 'number') {
      const seed = typeof value === 'string' && value.length ? value : 'a';
      const long = seed.padEnd(schema.maxLength + 1, seed.slice(-1));
      out.push({ label: `${at} maxLength`, body: setAt(base, path, long) });
    }
    // Only descend into objects the base body has; inventing whole sub-objects would break
    // more than one rule at a time.
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const present = value as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (name in present)
        out.push({
          label: `${pointer([...path, name])} required`,
          body: setAt(base, [...path, name], undefined, true),
        });
    }
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const [name, child] of Object.entries(properties))
      walk(child, present[name], [...path, name], depth + 1);
    if (schema.additionalProperties === false) {
      out.push({
        label: `${at} additionalProperties`,
        body: setAt(base, [...path, 'ctUnexpectedField'], 'x'),
      });
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const extra = resolve(schema.additionalProperties);
      const bad = typesOf(extra).length ? wrongTypeValue(typesOf(extra)) : undefined;
      if (bad !== undefined) {
        out.push({
          label: `${at} additionalProperties type`,
          body: setAt(base, [...path, 'ctExtraField'], bad),
        });
      }
    }
  };
  walk(schemaNode, base, [], 0);
  return out;
}

/** The schema node a JSON pointer into the bundled spec names. */
export function schemaAt(jsonPointer: string): unknown {
  return resolve({ $ref: `#${jsonPointer}` });
}
