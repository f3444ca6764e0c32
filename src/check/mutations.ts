import { loadSpec, resolveSchema } from '../contract/index.js';
import { atPointer } from '../../scripts/spec-walk.mjs';
import { evidenceOf, type Evidence } from './evidence.js';
import { isJsonObject } from '../internal/json.js';

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

/** resolveSchema, `{}` for a node that resolves to nothing. */
export const resolve = (node: unknown): Schema => resolveSchema(node) ?? {};

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

/** The first candidate the schema's `pattern` accepts (`matches`) or refuses; undefined without a usable pattern. */
function byPattern(schema: Schema, candidates: string[], matches: boolean): string | undefined {
  if (typeof schema.pattern !== 'string') return undefined;
  let re: RegExp;
  try {
    re = new RegExp(schema.pattern, 'u');
  } catch {
    return undefined;
  }
  return candidates.find((c) => re.test(c) === matches);
}

const PATTERN_BREAKERS = ['has space', 'a/b', 'dot.ted', '***', '-', '', '0', 'zz'];

/** A string the pattern refuses, preferably one that breaks only the pattern (not the lengths). */
function notMatching(schema: Schema): string | undefined {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const fits = PATTERN_BREAKERS.filter((c) => c.length >= min && c.length <= max);
  return byPattern(schema, fits, false) ?? byPattern(schema, PATTERN_BREAKERS, false);
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
    const push = (keyword: string, body: unknown, label = `${pointer(path)} ${keyword}`) =>
      out.push({ label, keyword, evidence: evidenceOf(schema, keyword), body });
    const breaks = (keyword: string, bad: unknown) =>
      bad !== undefined && push(keyword, setAt(base, path, bad));
    const types = typesOf(schema);
    if (types.length) breaks('type', wrongTypeValue(types));
    if (Array.isArray(schema.enum) && schema.enum.length)
      breaks('enum', typeof schema.enum[0] === 'string' ? 'CT_NOT_IN_ENUM' : 987654321);
    if (types.includes('string') && (value === undefined || typeof value === 'string')) {
      if (typeof schema.format === 'string') breaks('format', FORMAT_BREAKERS[schema.format]);
      breaks('pattern', notMatching(schema));
      const { minLength: min, maxLength: max } = schema;
      const seed = (fallback: string) => (typeof value === 'string' && value.length ? value : fallback);
      if (typeof min === 'number' && min > 0)
        breaks(
          'minLength',
          seed('abcdefgh')
            .padEnd(min, seed('abcdefgh'))
            .slice(0, min - 1),
        );
      if (typeof max === 'number') breaks('maxLength', seed('a').padEnd(max + 1, seed('a').slice(-1)));
    }
    if (types.includes('integer') || types.includes('number')) {
      if (typeof schema.minimum === 'number') breaks('minimum', schema.minimum - 1);
      if (typeof schema.maximum === 'number') breaks('maximum', schema.maximum + 1);
    }

    const isObject = isJsonObject(value);
    // An optional object the base body leaves out, with no required members: an empty one is
    // valid, so its member rules can still be broken one at a time.
    const emptyIsValid =
      value === undefined && types.includes('object') && !(schema.required as unknown[] | undefined)?.length;
    if (!isObject && !emptyIsValid) return;
    const present = (isObject ? value : {}) as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : [])
      if (name in present)
        push(
          'required',
          setAt(base, [...path, name], undefined, true),
          `${pointer([...path, name])} required`,
        );
    // Only descend into objects the base body has; inventing whole sub-objects would break
    // more than one rule at a time.
    if (isObject)
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>))
        walk(child, present[name], [...path, name], depth + 1);
    const names = resolve(schema.propertyNames);
    const extraType = typesOf(resolve(schema.additionalProperties));
    const badName = notMatching(names);
    if (badName && (extraType.includes('string') || !extraType.length))
      push('propertyNames', setAt(base, [...path, badName], 'x'));
    // An extra member's name the object's `propertyNames` accepts, so it breaks one rule only.
    const extraName = (preferred: string) =>
      byPattern(names, [preferred, 'CustomVar.Variable99', 'ct_extra', 'ct'], true) ?? preferred;
    for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
      const rule = schema[keyword];
      const ruleTypes = rule && typeof rule === 'object' ? typesOf(resolve(rule)) : [];
      const bad = ruleTypes.length ? wrongTypeValue(ruleTypes) : undefined;
      if (rule === false) push(keyword, setAt(base, [...path, extraName('ctUnexpectedField')], 'x'));
      else if (bad !== undefined)
        push(
          keyword,
          setAt(base, [...path, extraName('ctExtraField')], bad),
          `${pointer(path)} ${keyword} type`,
        );
    }
  };
  walk(schemaNode, base, [], 0);
  return out;
}

/** The schema node a JSON pointer into the bundled spec names. */
export function schemaAt(jsonPointer: string): unknown {
  return resolve(atPointer(loadSpec(), jsonPointer));
}
