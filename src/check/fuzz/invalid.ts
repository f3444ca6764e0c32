// Invalid values that break one keyword of a schema at a time: a length just past each limit, a
// pattern broken by one character, a wrong type (null where a member may only be left out), an
// enum value in the wrong case, a number past its bound, a required member left out, an unknown
// member in a closed object. Each carries the schema node and keyword it breaks, so that its
// evidence (vendor rule or our decision) decides whether a server that accepts it fails or warns.
import fc from 'fast-check';
import { jsonType, resolve, typesOf, type Schema } from '../mutations.js';
import {
  boundedLength,
  charUnit,
  keyArbitrary,
  NON_ASCII,
  repeatedClass,
  stringLimits,
  stringOf,
} from './valid.js';

export interface Breaker {
  /** Where in the value: keys from the root; `*` is a new member of an open map. */
  path: string[];
  keyword: string;
  /** The schema object that holds the keyword (its `x-evidence` says what the rule rests on). */
  schema: Schema;
  /** The bad value to put at `path`, or `remove` to leave a required member out. */
  bad: fc.Arbitrary<unknown> | 'remove';
}

/** Values of every JSON type the schema does not allow; `null` first, as "sent null, not omitted". */
function wrongTypes(allowed: string[]): fc.Arbitrary<unknown> | undefined {
  const all: [string, fc.Arbitrary<unknown>][] = [
    ['null', fc.constant(null)],
    ['integer', fc.integer()],
    ['string', fc.string({ maxLength: 8 })],
    ['boolean', fc.boolean()],
    ['array', fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })],
    [
      'object',
      fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
    ],
  ];
  const ok = (t: string) => allowed.includes(t) || (t === 'integer' && allowed.includes('number'));
  const picks = all.filter(([t]) => !ok(t)).map(([, a]) => a);
  if (!picks.length) return undefined;
  return fc.oneof(...picks).filter((v) => !ok(jsonType(v)));
}

function stringBreakers(schema: Schema, path: string[], out: Breaker[]) {
  const limits = stringLimits(schema);
  const unit = charUnit(limits.unit);
  const sized = (len: fc.Arbitrary<number>) => stringOf(unit, len);
  if (typeof schema.minLength === 'number' && schema.minLength > 0) {
    out.push({ path, keyword: 'minLength', schema, bad: sized(boundedLength(0, schema.minLength - 1)) });
  }
  if (typeof schema.maxLength === 'number') {
    const max = schema.maxLength;
    out.push({ path, keyword: 'maxLength', schema, bad: sized(boundedLength(max + 1, max + 3 + max)) });
  }
  if (typeof schema.pattern === 'string') {
    const re = new RegExp(schema.pattern, 'u');
    const candidates = [...'\\/:*?"<>|. \t', ...NON_ASCII, '-', '_', '@', '0', 'a'];
    const breaking = candidates.filter((c) => !re.test(c.repeat(Math.max(1, limits.min))));
    if (breaking.length) {
      // A valid-length string with one character the pattern refuses, at any position.
      const base = limits.unit
        ? sized(boundedLength(Math.max(0, limits.min - 1), Math.max(0, limits.max - 1)))
        : fc.constant('');
      out.push({
        path,
        keyword: 'pattern',
        schema,
        bad: fc
          .tuple(base, fc.constantFrom(...breaking), fc.nat())
          .map(([s, c, at]) => {
            const i = s.length ? at % (s.length + 1) : 0;
            return s.slice(0, i) + c + s.slice(i);
          })
          .filter((s) => !re.test(s)),
      });
    }
  }
  if (schema.format === 'uuid') {
    out.push({
      path,
      keyword: 'format',
      schema,
      bad: fc
        .uuid()
        .chain((u) =>
          fc.constantFrom(u.slice(1), `{${u}}`, u.replace(/-/g, ''), `${u.slice(0, -1)}g`, `${u} `),
        ),
    });
  }
}

function numberBreakers(schema: Schema, path: string[], out: Breaker[]) {
  const below = (n: number) => fc.constantFrom(n - 1, n - 2 ** 31, -(2 ** 53 - 1)).filter((v) => v < n);
  const above = (n: number) => fc.constantFrom(n + 1, n + 2 ** 31, 2 ** 53 - 1).filter((v) => v > n);
  if (typeof schema.minimum === 'number')
    out.push({ path, keyword: 'minimum', schema, bad: below(schema.minimum) });
  if (typeof schema.maximum === 'number')
    out.push({ path, keyword: 'maximum', schema, bad: above(schema.maximum) });
  if (typeof schema.exclusiveMinimum === 'number')
    out.push({ path, keyword: 'exclusiveMinimum', schema, bad: fc.constant(schema.exclusiveMinimum) });
  if (typeof schema.exclusiveMaximum === 'number')
    out.push({ path, keyword: 'exclusiveMaximum', schema, bad: fc.constant(schema.exclusiveMaximum) });
}

export interface BreakerOptions {
  /**
   * Unknown members get ASCII names. Prism 5.14 echoes a violation's property path in its
   * `sl-violations` header, and a name outside Latin-1 there crashes the mock for every later call.
   */
  asciiKeys?: boolean;
}

/** Every keyword of the schema, and of the schemas under it, that a value can break on its own. */
export function breakersOf(
  node: unknown,
  path: string[] = [],
  depth = 0,
  options: BreakerOptions = {},
): Breaker[] {
  const out: Breaker[] = [];
  if (depth > 8) return out;
  const schema = resolve(node);
  const types = typesOf(schema);
  if (types.length) {
    const bad = wrongTypes(types);
    if (bad) out.push({ path, keyword: 'type', schema, bad });
  }
  if (Array.isArray(schema.enum) && schema.enum.length) {
    const values = schema.enum as unknown[];
    const strings = values.filter((v): v is string => typeof v === 'string');
    const cased = strings.flatMap((s) => [s.toLowerCase(), s.toUpperCase(), `${s} `]);
    out.push({
      path,
      keyword: 'enum',
      schema,
      bad: fc
        .oneof(
          fc.constantFrom(...(cased.length ? cased : ['ct-not-in-enum'])),
          fc.string({ minLength: 1, maxLength: 12 }),
        )
        .filter((v) => !values.includes(v)),
    });
  }
  if (types.includes('string') && !schema.enum) stringBreakers(schema, path, out);
  if ((types.includes('integer') || types.includes('number')) && !schema.enum)
    numberBreakers(schema, path, out);
  if (types.includes('object') || schema.properties) {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : [])
      out.push({ path: [...path, name], keyword: 'required', schema, bad: 'remove' });
    for (const [name, child] of Object.entries(properties))
      out.push(...breakersOf(child, [...path, name], depth + 1, options));
    const taken = new Set(Object.keys(properties));
    const extra = [schema.additionalProperties, schema.unevaluatedProperties].find((s) => s !== undefined);
    const extraKeyword =
      schema.additionalProperties !== undefined ? 'additionalProperties' : 'unevaluatedProperties';
    if (extra === false) {
      // A member the closed object does not list, e.g. a misspelling of a declared one.
      const misspelt = [...taken]
        .flatMap((k) => [k.toLowerCase(), k[0]!.toUpperCase() + k.slice(1)])
        .filter((k) => !taken.has(k));
      out.push({
        path: [...path, '*'],
        keyword: extraKeyword,
        schema,
        bad: fc.tuple(
          misspelt.length
            ? fc.oneof(fc.constantFrom(...misspelt), keyArbitrary({}, taken, options.asciiKeys))
            : keyArbitrary({}, taken, options.asciiKeys),
          fc.string({ maxLength: 8 }),
        ),
      });
    } else if (extra && typeof extra === 'object') {
      const bad = wrongTypes(typesOf(resolve(extra)));
      if (bad)
        out.push({
          path: [...path, '*'],
          keyword: extraKeyword,
          schema,
          bad: fc.tuple(keyArbitrary(schema, taken, options.asciiKeys), bad),
        });
      const names = resolve(schema.propertyNames);
      if (typeof names.pattern === 'string') {
        const re = new RegExp(names.pattern, 'u');
        out.push({
          path: [...path, '*'],
          keyword: 'propertyNames',
          schema: names,
          bad: fc.tuple(
            fc
              .string({
                unit: charUnit(options.asciiKeys ? /^[ -~]$/ : undefined),
                minLength: 1,
                maxLength: 20,
              })
              .filter((k) => !re.test(k) && !taken.has(k)),
            fc.string({ maxLength: 8 }),
          ),
        });
      }
    }
  }
  return out;
}

/** The value with the breaker applied; undefined when its parent is not there to hold it. */
export function applyBreaker(value: unknown, path: string[], bad: unknown): unknown {
  if (!path.length) return bad;
  const root = structuredClone(value) as Record<string, unknown>;
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const parent = node as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (bad === REMOVE) {
    if (!(last in parent)) return undefined;
    delete parent[last];
  } else if (last === '*') {
    const [key, v] = bad as [string, unknown];
    parent[key] = v;
  } else parent[last] = bad;
  return root;
}

export const REMOVE: unique symbol = Symbol('remove');

export const breakerLabel = (b: Breaker) => `/${b.path.join('/')} ${b.keyword}`.replace(/^\/ /, '/ ');

export { repeatedClass };
