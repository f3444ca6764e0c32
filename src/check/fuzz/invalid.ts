// Invalid values that break one keyword of a schema at a time: a length just past each limit, a
// pattern broken by one character, a wrong type (null where a member may only be left out), an
// enum value in the wrong case, a number past its bound, a required member left out, an unknown
// member in a closed object. Each carries the schema node and keyword it breaks, so that its
// evidence (vendor rule or our decision) decides whether a server that accepts it fails or warns.
import fc from 'fast-check';
import { jsonType, resolve, typesOf, type Schema } from '../mutations.js';
import { at } from '../references.js';
import { boundedLength, charUnit, keyArbitrary, NON_ASCII, stringLimits, stringOf } from './valid.js';

export interface Breaker {
  /** Where in the value: keys from the root; `*` is a new member of an open map. */
  path: string[];
  keyword: string;
  /** The schema object that holds the keyword (its `x-evidence` says what the rule rests on). */
  schema: Schema;
  /** The bad value to put at `path`: REMOVE leaves a required member out. */
  bad: fc.Arbitrary<unknown>;
}

const REMOVE: unique symbol = Symbol('remove');

/** A value of each JSON type; `null` first, as "sent null, not omitted". */
const WRONG_TYPES: Record<string, fc.Arbitrary<unknown>> = {
  null: fc.constant(null),
  integer: fc.integer(),
  string: fc.string({ maxLength: 8 }),
  boolean: fc.boolean(),
  array: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  object: fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.string({ maxLength: 3 }), {
    maxKeys: 2,
  }),
};

/** Values of every JSON type the schema does not allow. */
function wrongTypes(allowed: string[]): fc.Arbitrary<unknown> | undefined {
  const ok = (t: string) => allowed.includes(t) || (t === 'integer' && allowed.includes('number'));
  const picks = Object.entries(WRONG_TYPES)
    .filter(([t]) => !ok(t))
    .map(([, a]) => a);
  return picks.length ? fc.oneof(...picks).filter((v) => !ok(jsonType(v))) : undefined;
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
  const push = (keyword: string, bad: Breaker['bad'], at = path, holder = schema) =>
    out.push({ path: at, keyword, schema: holder, bad });
  const types = typesOf(schema);
  const wrong = types.length ? wrongTypes(types) : undefined;
  if (wrong) push('type', wrong);
  if (Array.isArray(schema.enum) && schema.enum.length) {
    const values = schema.enum as unknown[];
    const strings = values.filter((v): v is string => typeof v === 'string');
    const cased = strings.flatMap((s) => [s.toLowerCase(), s.toUpperCase(), `${s} `]);
    push(
      'enum',
      fc
        .oneof(
          fc.constantFrom(...(cased.length ? cased : ['ct-not-in-enum'])),
          fc.string({ minLength: 1, maxLength: 12 }),
        )
        .filter((v) => !values.includes(v)),
    );
  }
  const limits = stringLimits(schema);
  const sized = (len: fc.Arbitrary<number>) => stringOf(charUnit(limits.unit), len);
  if (types.includes('string') && !schema.enum) {
    if (typeof schema.minLength === 'number' && schema.minLength > 0)
      push('minLength', sized(boundedLength(0, schema.minLength - 1)));
    if (typeof schema.maxLength === 'number')
      push('maxLength', sized(boundedLength(schema.maxLength + 1, 2 * schema.maxLength + 3)));
    const re = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
    const candidates = [...'\\/:*?"<>|. \t', ...NON_ASCII, '-', '_', '@', '0', 'a'];
    const breaking = candidates.filter((c) => re && !re.test(c.repeat(Math.max(1, limits.min))));
    // A valid-length string with one character the pattern refuses, at any position.
    const base = limits.unit
      ? sized(boundedLength(Math.max(0, limits.min - 1), Math.max(0, limits.max - 1)))
      : fc.constant('');
    if (re && breaking.length)
      push(
        'pattern',
        fc
          .tuple(base, fc.constantFrom(...breaking), fc.nat())
          .map(([s, c, pos]) => {
            const i = s.length ? pos % (s.length + 1) : 0;
            return s.slice(0, i) + c + s.slice(i);
          })
          .filter((s) => !re.test(s)),
      );
    if (schema.format === 'uuid')
      push(
        'format',
        fc
          .uuid()
          .chain((u) =>
            fc.constantFrom(u.slice(1), `{${u}}`, u.replace(/-/g, ''), `${u.slice(0, -1)}g`, `${u} `),
          ),
      );
  }
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if ((types.includes('integer') || types.includes('number')) && !schema.enum) {
    if (typeof minimum === 'number')
      push(
        'minimum',
        fc.constantFrom(minimum - 1, minimum - 2 ** 31, -(2 ** 53 - 1)).filter((v) => v < minimum),
      );
    if (typeof maximum === 'number')
      push(
        'maximum',
        fc.constantFrom(maximum + 1, maximum + 2 ** 31, 2 ** 53 - 1).filter((v) => v > maximum),
      );
    if (typeof exclusiveMinimum === 'number') push('exclusiveMinimum', fc.constant(exclusiveMinimum));
    if (typeof exclusiveMaximum === 'number') push('exclusiveMaximum', fc.constant(exclusiveMaximum));
  }
  if (!types.includes('object') && !schema.properties) return out;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : [])
    push('required', fc.constant(REMOVE), [...path, name]);
  for (const [name, child] of Object.entries(properties))
    out.push(...breakersOf(child, [...path, name], depth + 1, options));
  const taken = new Set(Object.keys(properties));
  const member = [...path, '*'];
  const extra = [schema.additionalProperties, schema.unevaluatedProperties].find((s) => s !== undefined);
  const extraKeyword =
    schema.additionalProperties !== undefined ? 'additionalProperties' : 'unevaluatedProperties';
  const key = (holder: Schema) => keyArbitrary(holder, taken, options.asciiKeys);
  if (extra === false) {
    // A member the closed object does not list, e.g. a misspelling of a declared one.
    const misspelt = [...taken]
      .flatMap((k) => [k.toLowerCase(), k[0]!.toUpperCase() + k.slice(1)])
      .filter((k) => !taken.has(k));
    const name = misspelt.length ? fc.oneof(fc.constantFrom(...misspelt), key({})) : key({});
    push(extraKeyword, fc.tuple(name, fc.string({ maxLength: 8 })), member);
  } else if (extra && typeof extra === 'object') {
    const bad = wrongTypes(typesOf(resolve(extra)));
    if (bad) push(extraKeyword, fc.tuple(key(schema), bad), member);
    const names = resolve(schema.propertyNames);
    if (typeof names.pattern === 'string') {
      const re = new RegExp(names.pattern, 'u');
      const unit = charUnit(options.asciiKeys ? /^[ -~]$/ : undefined);
      const name = fc
        .string({ unit, minLength: 1, maxLength: 20 })
        .filter((k) => !re.test(k) && !taken.has(k));
      push('propertyNames', fc.tuple(name, fc.string({ maxLength: 8 })), member, names);
    }
  }
  return out;
}

/** The value with the breaker applied; undefined when its parent is not there to hold it. */
export function applyBreaker(value: unknown, path: string[], bad: unknown): unknown {
  if (!path.length) return bad;
  const root = structuredClone(value);
  const parent = at(root, path.slice(0, -1)) as Record<string, unknown> | undefined;
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
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

export const breakerLabel = (b: Breaker) => `/${b.path.join('/')} ${b.keyword}`.replace(/^\/ /, '/ ');
