import { loadSpec } from '../contract/index.js';
import { atPointer, resolveRef } from '../internal/refs.js';
import { evidenceOf, type Evidence } from './evidence.js';

export type Schema = Record<string, unknown>;

/** A body that breaks exactly one constraint of the request schema, named after it. */
export interface Mutation {
  /** e.g. `/customerShortName minLength`. */
  label: string;
  /** The JSON-Schema keyword it breaks. */
  keyword: string;
  /** What that keyword rests on (the schema object's `x-evidence`; `vendor-table` by default). */
  evidence: Evidence;
  body: unknown;
}

/** Follows `$ref`s of the bundled spec (chains too) to the schema object they name (src/internal/refs.ts). */
export const resolve = (node: unknown): Schema => resolveRef(loadSpec(), node) ?? {};

export const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

export function typesOf(schema: Schema): string[] {
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

// A value each validated format refuses; formats not listed (int32, int64) are annotations here.
const FORMAT_BREAKERS: Record<string, string> = {
  uuid: 'ct-not-a-uuid',
  'date-time': 'ct-not-a-date',
  date: 'ct-not-a-date',
  email: 'ct-not-an-email',
  uri: 'ct not a uri',
};

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
  // A missing intermediate object (an optional one the base body leaves out) is created empty.
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return root;
}

const pointer = (path: string[]) => (path.length ? `/${path.join('/')}` : '/');

/** A member name the object's `propertyNames` accepts, so an extra member breaks one rule only. */
function extraName(schema: Schema, preferred: string): string {
  const names = resolve(schema.propertyNames);
  if (typeof names.pattern !== 'string') return preferred;
  let re: RegExp;
  try {
    re = new RegExp(names.pattern, 'u');
  } catch {
    return preferred;
  }
  return [preferred, 'CustomVar.Variable99', 'ct_extra', 'ct'].find((n) => re.test(n)) ?? preferred;
}

/**
 * Walks the request schema alongside a valid body and returns one violating body per constraint
 * (required, type, enum, format, pattern, minLength, maxLength, minimum, maximum, closed and typed
 * extra members: additionalProperties, unevaluatedProperties, propertyNames). Properties the base
 * body leaves out get a bad value of their own, so optional fields are covered too. Each mutation
 * carries the evidence its keyword rests on.
 */
export function mutationsOf(schemaNode: unknown, base: unknown): Mutation[] {
  const out: Mutation[] = [];
  const walk = (node: unknown, value: unknown, path: string[], depth: number) => {
    if (depth > 8) return;
    const schema = resolve(node);
    const at = pointer(path);
    const push = (keyword: string, body: unknown, label = `${at} ${keyword}`) =>
      out.push({ label, keyword, evidence: evidenceOf(schema, keyword), body });
    const types = typesOf(schema);
    if (types.length) {
      const bad = wrongTypeValue(types);
      if (bad !== undefined) push('type', setAt(base, path, bad));
    }
    if (Array.isArray(schema.enum) && schema.enum.length) {
      push('enum', setAt(base, path, typeof schema.enum[0] === 'string' ? 'CT_NOT_IN_ENUM' : 987654321));
    }
    const isString = types.includes('string') && (value === undefined || typeof value === 'string');
    if (isString && typeof schema.format === 'string' && FORMAT_BREAKERS[schema.format] !== undefined) {
      push('format', setAt(base, path, FORMAT_BREAKERS[schema.format]));
    }
    if (isString && typeof schema.pattern === 'string') {
      const bad = patternBreaker(schema, schema.pattern);
      if (bad !== undefined) push('pattern', setAt(base, path, bad));
    }
    if (isString && typeof schema.minLength === 'number' && schema.minLength > 0) {
      const seed = typeof value === 'string' && value.length ? value : 'abcdefgh';
      push(
        'minLength',
        setAt(base, path, seed.padEnd(schema.minLength, seed).slice(0, schema.minLength - 1)),
      );
    }
    if (isString && typeof schema.maxLength === 'number') {
      const seed = typeof value === 'string' && value.length ? value : 'a';
      push('maxLength', setAt(base, path, seed.padEnd(schema.maxLength + 1, seed.slice(-1))));
    }
    const isNumber = types.includes('integer') || types.includes('number');
    if (isNumber && typeof schema.minimum === 'number')
      push('minimum', setAt(base, path, schema.minimum - 1));
    if (isNumber && typeof schema.maximum === 'number')
      push('maximum', setAt(base, path, schema.maximum + 1));

    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    // An optional object the base body leaves out, with no required members: an empty one is
    // valid, so its member rules can still be broken one at a time.
    const emptyIsValid =
      value === undefined && types.includes('object') && !(schema.required as unknown[] | undefined)?.length;
    if (!isObject && !emptyIsValid) return;
    const present = (isObject ? value : {}) as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (name in present)
        push(
          'required',
          setAt(base, [...path, name], undefined, true),
          `${pointer([...path, name])} required`,
        );
    }
    // Only descend into objects the base body has; inventing whole sub-objects would break
    // more than one rule at a time.
    if (isObject) {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      for (const [name, child] of Object.entries(properties))
        walk(child, present[name], [...path, name], depth + 1);
    }
    const names = resolve(schema.propertyNames);
    if (typeof names.pattern === 'string') {
      const bad = patternBreaker(names, names.pattern);
      const extra = resolve(schema.additionalProperties);
      const goodValue = typesOf(extra).includes('string') || !typesOf(extra).length ? 'x' : undefined;
      if (bad && goodValue !== undefined) push('propertyNames', setAt(base, [...path, bad], goodValue));
    }
    for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
      const rule = schema[keyword];
      if (rule === false) {
        push(keyword, setAt(base, [...path, extraName(schema, 'ctUnexpectedField')], 'x'));
      } else if (rule && typeof rule === 'object') {
        const extra = resolve(rule);
        const bad = typesOf(extra).length ? wrongTypeValue(typesOf(extra)) : undefined;
        if (bad !== undefined)
          push(
            keyword,
            setAt(base, [...path, extraName(schema, 'ctExtraField')], bad),
            `${at} ${keyword} type`,
          );
      }
    }
  };
  walk(schemaNode, base, [], 0);
  return out;
}

/** The schema node a JSON pointer into the bundled spec names. */
export function schemaAt(jsonPointer: string): unknown {
  return resolve(atPointer(loadSpec(), jsonPointer));
}
