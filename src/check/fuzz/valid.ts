// Arbitraries of values a JSON Schema of the bundled contract accepts, biased toward the edges
// where servers break: lengths at each limit, int32 and int64 limits (the numbers of patterned ids
// too), letters outside ASCII and outside the Basic Multilingual Plane (a UTF-16 length above the
// character count), punctuation, empty and large maps, keys that differ only in case, optional
// members left out. Nothing here knows an operation: it reads schemas only.
import fc from 'fast-check';
import { resolve, typesOf, type Schema } from '../schema.js';

export type { Schema };

/** Letters and marks outside ASCII, and a few characters ASCII-only code trips on. */
export const NON_ASCII = ['é', 'ß', 'ü', 'Ł', 'ж', 'ñ', 'ø', '中', 'Ω', 'ğ'];
/** One character, two UTF-16 units: code that counts `.length` sees more than JSON Schema does. */
const ASTRAL = ['𝔸', '😀', '𐐷', '𠜎'];
const EDGE_CHARS = [' ', '_', "'", '-', '.', '/', '"', '\\', '%', '&', '+', '#', ',', ';', '`', '@'];
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');

/** `^[...]+$`, `^[...]*$`, `^[...]{m,n}$`: a pattern that is one character class repeated. */
function repeatedClass(pattern: string): RegExp | undefined {
  const m = /^\^(\[(?:\\.|[^\]\\])+\]|\\[dws]|\.)(?:[+*]|\{\d+(?:,\d*)?\})\$$/.exec(pattern);
  if (!m) return undefined;
  try {
    return new RegExp(`^${m[1]}$`, 'u');
  } catch {
    return undefined;
  }
}

/** One character: mostly ASCII letters and digits, often a letter outside ASCII or an edge character. */
export function charUnit(allowed?: RegExp): fc.Arbitrary<string> {
  const pools: fc.WeightedArbitrary<string>[] = [];
  for (const [chars, weight] of [
    [ALNUM, 6],
    [NON_ASCII, 2],
    [EDGE_CHARS, 2],
    [ASTRAL, 1],
  ] as const) {
    const ok = chars.filter((c) => !allowed || allowed.test(c));
    if (ok.length) pools.push({ arbitrary: fc.constantFrom(...ok), weight });
  }
  pools.push({
    arbitrary: allowed
      ? fc.stringMatching(allowed)
      : fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 }),
    weight: 1,
  });
  // Cross-shrinking moves a failing character toward plain letters, so a minimal input keeps only
  // the characters that matter.
  return fc.oneof({ withCrossShrink: true }, ...pools);
}

/** An integer in [min, max], often one of `edges` (at or next to a limit). */
const edgeBiased = (min: number, max: number, edges: number[], edgeWeight = 1) =>
  fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min, max }), weight: 1 },
    { arbitrary: fc.constantFrom(...edges.filter((n) => n >= min && n <= max)), weight: edgeWeight },
  );

/** A length in [min, max], half the time exactly at or next to a limit. */
export const boundedLength = (min: number, max: number) =>
  edgeBiased(min, max, [...new Set([min, min + 1, max - 1, max])]);

/** Map and array sizes: empty, one, two, and large. */
const mapSize = (min: number, max: number) => edgeBiased(min, max, [0, 1, 2, max], 2);

/** A string of exactly `length` characters (code points) drawn from `unit`. */
export const stringOf = (unit: fc.Arbitrary<string>, length: fc.Arbitrary<number>) =>
  length.chain((n) => fc.array(unit, { minLength: n, maxLength: n }).map((cs) => cs.join('')));

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Generated strings without a maxLength stay short enough to read in a report. */
const DEFAULT_MAX_LENGTH = 40;

/** A string schema's lengths, and the character class every character must match when its pattern is one. */
export function stringLimits(schema: Schema): { min: number; max: number; unit?: RegExp } {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(min, DEFAULT_MAX_LENGTH);
  const unit = typeof schema.pattern === 'string' ? repeatedClass(schema.pattern) : undefined;
  return { min, max, ...(unit ? { unit } : {}) };
}

/** Where 32- and 64-bit code overflows, as text: exact past 2^53, where a number is not. */
const INTEGER_EDGES_TEXT = [
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9007199254740991',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
];

/**
 * Ids of a structured pattern with a number in them (`tsk_185510`): the schema's examples with
 * their number replaced by each integer edge, where the pattern and lengths still hold.
 */
export function patternedIdEdges(schema: Schema): string[] {
  const { min, max } = stringLimits(schema);
  const re = new RegExp(String(schema.pattern), 'u');
  const ids = (Array.isArray(schema.examples) ? schema.examples : []).flatMap((example) => {
    const m = typeof example === 'string' ? /^(.*?)([0-9]+)$/.exec(example) : null;
    return m ? INTEGER_EDGES_TEXT.map((n) => m[1] + n) : [];
  });
  return [...new Set(ids.filter((id) => re.test(id) && id.length >= min && id.length <= max))];
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'uuid')
    return fc.oneof(
      { arbitrary: fc.uuid(), weight: 4 },
      { arbitrary: fc.uuid().map((u) => u.toUpperCase()), weight: 1 },
      { arbitrary: fc.constant('00000000-0000-0000-0000-000000000000'), weight: 1 },
    );
  const limits = stringLimits(schema);
  if (typeof schema.pattern === 'string' && !limits.unit) {
    // A structured pattern (a task id): fast-check builds matching strings; the lengths follow.
    const re = new RegExp(schema.pattern, 'u');
    const matching = fc.stringMatching(re).filter((s) => s.length >= limits.min && s.length <= limits.max);
    const edges = patternedIdEdges(schema);
    return edges.length
      ? fc.oneof(
          { withCrossShrink: true },
          { arbitrary: matching, weight: 3 },
          { arbitrary: fc.constantFrom(...edges), weight: 1 },
        )
      : matching;
  }
  return stringOf(charUnit(limits.unit), boundedLength(limits.min, limits.max));
}

/** Integers at the limits, around 2^31 and 2^32 (where 32-bit code overflows), and in between. */
export function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  const wide = schema.format === 'int32' ? 2 ** 31 - 1 : MAX_SAFE;
  let min = typeof schema.minimum === 'number' ? schema.minimum : -wide;
  let max = typeof schema.maximum === 'number' ? schema.maximum : wide;
  if (typeof schema.exclusiveMinimum === 'number') min = Math.max(min, schema.exclusiveMinimum + 1);
  if (typeof schema.exclusiveMaximum === 'number') max = Math.min(max, schema.exclusiveMaximum - 1);
  [min, max] = [Math.max(min, -MAX_SAFE), Math.min(max, MAX_SAFE)];
  const edges = [min, min + 1, max - 1, max, 0, 1, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1].filter(
    (n) => n >= min && n <= max,
  );
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 100_000) }), weight: 2 },
    { arbitrary: fc.constantFrom(...new Set(edges)), weight: 2 },
    { arbitrary: fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number), weight: 1 },
  );
}

/** Keys of an open map: from `propertyNames.pattern`, else short identifiers (some not ASCII). */
export function keyArbitrary(schema: Schema, taken: Set<string>, ascii = false): fc.Arbitrary<string> {
  const names = resolve(schema.propertyNames);
  const base =
    typeof names.pattern === 'string'
      ? fc.stringMatching(new RegExp(names.pattern, 'u'))
      : stringOf(charUnit(ascii ? /^[A-Za-z0-9_.]$/ : /^[\p{L}\p{N}_.]$/u), fc.integer({ min: 1, max: 12 }));
  return base.filter((k) => !taken.has(k) && k !== '__proto__');
}

/**
 * Replaces the arbitrary at a JSON path, e.g. a name that must carry the run prefix or an id the
 * server must already know; undefined generates freely.
 */
export type Override = (path: string[], schema: Schema) => fc.Arbitrary<unknown> | undefined;

const MAX_DEPTH = 8;

/** Values the schema accepts, boundary-biased. Validity is still checked by the caller's validator. */
export function arbitraryFor(node: unknown, override?: Override, path: string[] = []): fc.Arbitrary<unknown> {
  const schema = resolve(node);
  const custom = override?.(path, schema);
  if (custom) return custom;
  if (path.length > MAX_DEPTH) return fc.constant(null);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const subs = schema[key];
    if (Array.isArray(subs)) return fc.oneof(...subs.map((s) => arbitraryFor(s, override, path)));
  }
  const types = typesOf(schema);
  if (types.length > 1) {
    return fc.oneof(...types.map((t) => arbitraryFor({ ...schema, type: t }, override, path)));
  }
  const type = types[0] ?? 'object';
  if (type === 'null') return fc.constant(null);
  if (type === 'boolean') return fc.boolean();
  if (type === 'integer') return integerArbitrary(schema);
  if (type === 'number')
    return fc.oneof(integerArbitrary(schema), fc.double({ noNaN: true, noDefaultInfinity: true }));
  if (type === 'string') return stringArbitrary(schema);
  if (type === 'object') return objectArbitrary(schema, override, path);
  if (type !== 'array') return fc.constant(null);
  const items = arbitraryFor(schema.items ?? {}, override, [...path, '0']);
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 5);
  return mapSize(min, max).chain((n) => fc.array(items, { minLength: n, maxLength: n }));
}

function objectArbitrary(
  schema: Schema,
  override: Override | undefined,
  path: string[],
): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const model = Object.fromEntries(
    Object.entries(properties).map(([k, v]) => [k, arbitraryFor(v, override, [...path, k])]),
  );
  const declared = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
  // An open map (customer variables, script parameters): extra members from its value schema.
  const extraSchema = [schema.additionalProperties, schema.unevaluatedProperties].find(
    (s) => s && typeof s === 'object',
  );
  if (!extraSchema) return declared;
  const taken = new Set(Object.keys(properties));
  const key = keyArbitrary(schema, taken);
  const value = arbitraryFor(extraSchema, override, [...path, '*']);
  const maxKeys = typeof schema.maxProperties === 'number' ? schema.maxProperties : 20;
  const extras = mapSize(0, maxKeys).chain((n) =>
    fc.uniqueArray(fc.tuple(key, value), { minLength: n, maxLength: n, selector: ([k]) => k }),
  );
  const names = resolve(schema.propertyNames);
  const keyPattern = typeof names.pattern === 'string' ? new RegExp(names.pattern, 'u') : undefined;
  // Sometimes one key again in another letter case: two members JSON tells apart and a
  // case-insensitive dictionary (ASP.NET's default for many) does not.
  const twin = fc.option(fc.nat(), { freq: 3, nil: undefined });
  return fc.tuple(declared, extras, twin).map(([d, e, t]) => {
    const out: Record<string, unknown> = { ...(d as Record<string, unknown>) };
    for (const [k, v] of e) out[k] = v;
    if (t !== undefined && e.length) {
      const [k, v] = e[t % e.length]!;
      const other = caseTwin(k);
      if (other !== k && !(other in out) && !taken.has(other) && (!keyPattern || keyPattern.test(other)))
        out[other] = v;
    }
    return out;
  });
}

/** The same text with the case of every letter swapped (`Ab1` -> `aB1`); unchanged when it has none. */
export function caseTwin(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}
