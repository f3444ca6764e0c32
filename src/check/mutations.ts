// How a value is made to break its schema, one keyword at a time, for both phases: each breaker
// says where its keyword applies, the one value the deterministic cases send (`fixed`) and the
// values the generated cases draw (`bad`): a wrong type (null where a member may only be left out),
// an enum value in the wrong case, a broken format, a pattern broken by one character, a length
// just past each limit, a number past its bound, a required member left out, an unknown member of
// a closed object. Each carries the schema object that holds the keyword, so that its evidence
// (vendor rule or our decision) decides whether a server that accepts it fails or warns.
import fc from 'fast-check';
import { evidenceOf, type Evidence } from './evidence.js';
import { isJsonObject } from '../internal/json.js';
import { at } from './references.js';
import { resolve, typesOf, type Schema } from './schema.js';
import { boundedLength, charUnit, keyArbitrary, NON_ASCII, stringLimits, stringOf } from './fuzz/valid.js';

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

export interface Breaker {
  /** Where in the value: keys from the root; `*` is a new member (a `[name, value]` pair) of an object. */
  path: string[];
  keyword: string;
  /** The schema object that holds the keyword (its `x-evidence` says what the rule rests on). */
  schema: Schema;
  /** The deterministic case's bad value (lengths start from `base`'s value); undefined when none. */
  fixed: unknown;
  /** The generated cases' bad values. REMOVE leaves a required member out. */
  bad: fc.Arbitrary<unknown>;
}

const REMOVE: unique symbol = Symbol('remove');

/** A value of each JSON type: the deterministic one, and an arbitrary of them. */
const typed = (): [string, unknown, fc.Arbitrary<unknown>][] => [
  ['integer', 12345, fc.integer()],
  ['string', 'ct-not-this-type', fc.string({ maxLength: 8 })],
  ['boolean', true, fc.boolean()],
  ['array', ['ct'], fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })],
  [
    'object',
    { ct: 'x' },
    fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
  ],
  ['null', null, fc.constant(null)],
];

/** Values of the JSON types the schema does not allow (an integer counts as a number); none without `type`. */
function wrongType(schema: Schema): { fixed: unknown; bad: fc.Arbitrary<unknown> } | undefined {
  const allowed = typesOf(schema);
  const ok = (t: string) => allowed.includes(t) || (t === 'integer' && allowed.includes('number'));
  const picks = allowed.length ? typed().filter(([t]) => !ok(t)) : [];
  return picks.length ? { fixed: picks[0]![1], bad: fc.oneof(...picks.map(([, , a]) => a)) } : undefined;
}

// A value each validated format refuses; formats not listed (int32, int64) are annotations here.
const FORMAT_BREAKERS: Record<string, string> = {
  uuid: 'ct-not-a-uuid',
  'date-time': 'ct-not-a-date',
  date: 'ct-not-a-date',
  email: 'ct-not-an-email',
  uri: 'ct not a uri',
};

/** The schema's `pattern`, compiled; undefined without a usable one. */
function patternOf(schema: Schema): RegExp | undefined {
  if (typeof schema.pattern !== 'string') return undefined;
  try {
    return new RegExp(schema.pattern, 'u');
  } catch {
    return undefined;
  }
}

const PATTERN_BREAKERS = ['has space', 'a/b', 'dot.ted', '***', '-', '', '0', 'zz'];

/** A string the pattern refuses, preferably one that breaks only the pattern (not the lengths). */
function notMatching(re: RegExp, schema: Schema): string | undefined {
  const { min, max } = stringLimits(schema);
  const refused = PATTERN_BREAKERS.filter((c) => !re.test(c));
  return refused.find((c) => c.length >= min && c.length <= max) ?? refused[0];
}

export interface BreakerOptions {
  /**
   * Unknown members get ASCII names. Prism 5.14 echoes a violation's property path in its
   * `sl-violations` header, and a name outside Latin-1 there crashes the mock for every later call.
   */
  asciiKeys?: boolean;
}

/** Every keyword of the schema, and of the schemas under it, that a value can break on its own. */
export function breakersOf(node: unknown, options: BreakerOptions = {}, base?: unknown): Breaker[] {
  const out: Breaker[] = [];
  const walk = (node: unknown, path: string[], depth: number) => {
    if (depth > 8) return;
    const schema = resolve(node);
    const push = (keyword: string, fixed: unknown, bad: Breaker['bad'], where = path) =>
      out.push({ path: where, keyword, schema, fixed, bad });
    const types = typesOf(schema);
    const wrong = wrongType(schema);
    if (wrong) push('type', wrong.fixed, wrong.bad);
    if (Array.isArray(schema.enum) && schema.enum.length) {
      const values = schema.enum as unknown[];
      const fixed = typeof values[0] === 'string' ? 'CT_NOT_IN_ENUM' : 987654321;
      const cased = values.flatMap((s) =>
        typeof s === 'string' ? [s.toLowerCase(), s.toUpperCase(), `${s} `] : [],
      );
      const near = fc.constantFrom(...(cased.length ? cased : [fixed]));
      const bad = fc
        .oneof(near, fc.string({ minLength: 1, maxLength: 12 }))
        .filter((v) => !values.includes(v));
      push('enum', fixed, bad);
    }
    if (types.includes('string') && !schema.enum) {
      const format = typeof schema.format === 'string' ? FORMAT_BREAKERS[schema.format] : undefined;
      if (format)
        push(
          'format',
          format,
          schema.format !== 'uuid'
            ? fc.constant(format)
            : fc
                .uuid()
                .chain((u) =>
                  fc.constantFrom(u.slice(1), `{${u}}`, u.replace(/-/g, ''), `${u.slice(0, -1)}g`, `${u} `),
                ),
        );
      const limits = stringLimits(schema);
      const sized = (len: fc.Arbitrary<number>) => stringOf(charUnit(limits.unit), len);
      const re = patternOf(schema);
      if (re) {
        const fixed = notMatching(re, schema);
        const chars = [...'\\/:*?"<>|. \t', ...NON_ASCII, '-', '_', '@', '0', 'a'].filter(
          (c) => !re.test(c.repeat(Math.max(1, limits.min))),
        );
        // A valid-length string with one character the pattern refuses, at any position.
        const around = limits.unit
          ? sized(boundedLength(Math.max(0, limits.min - 1), Math.max(0, limits.max - 1)))
          : fc.constant('');
        const inserted = fc
          .tuple(around, fc.constantFrom(...chars), fc.nat())
          .map(([s, c, pos]) => s.slice(0, pos % (s.length + 1)) + c + s.slice(pos % (s.length + 1)))
          .filter((s) => !re.test(s));
        if (chars.length || fixed !== undefined)
          push('pattern', fixed, chars.length ? inserted : fc.constant(fixed));
      }
      const { minLength: min, maxLength: max } = schema;
      // A length breaker starts from the base value's own string, to stay close to it.
      const current = at(base, path);
      const seed = (or: string) => (typeof current === 'string' && current.length ? current : or);
      if (typeof min === 'number' && min > 0)
        push(
          'minLength',
          seed('abcdefgh')
            .padEnd(min, seed('abcdefgh'))
            .slice(0, min - 1),
          sized(boundedLength(0, min - 1)),
        );
      if (typeof max === 'number')
        push(
          'maxLength',
          seed('a').padEnd(max + 1, seed('a').slice(-1)),
          sized(boundedLength(max + 1, 2 * max + 3)),
        );
    }
    if ((types.includes('integer') || types.includes('number')) && !schema.enum) {
      const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
      // The first value past the bound is the deterministic one.
      const past = (keyword: string, values: number[]) =>
        push(keyword, values[0], fc.constantFrom(...values));
      if (typeof minimum === 'number')
        past(
          'minimum',
          [minimum - 1, minimum - 2 ** 31, -(2 ** 53 - 1)].filter((v) => v < minimum),
        );
      if (typeof maximum === 'number')
        past(
          'maximum',
          [maximum + 1, maximum + 2 ** 31, 2 ** 53 - 1].filter((v) => v > maximum),
        );
      if (typeof exclusiveMinimum === 'number') past('exclusiveMinimum', [exclusiveMinimum]);
      if (typeof exclusiveMaximum === 'number') past('exclusiveMaximum', [exclusiveMaximum]);
    }
    if (!types.includes('object') && !schema.properties) return;
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : [])
      push('required', REMOVE, fc.constant(REMOVE), [...path, name]);
    for (const [name, child] of Object.entries(properties)) walk(child, [...path, name], depth + 1);

    // Members the object does not declare.
    const taken = new Set(Object.keys(properties));
    const member = [...path, '*'];
    const keyword =
      schema.additionalProperties !== undefined ? 'additionalProperties' : 'unevaluatedProperties';
    const extra = schema[keyword];
    const extraTypes = typesOf(resolve(extra));
    const names = resolve(schema.propertyNames);
    const namesRe = patternOf(names);
    if (namesRe && extra !== false && (!extraTypes.length || extraTypes.includes('string'))) {
      const fixed = notMatching(namesRe, names);
      const unit = charUnit(options.asciiKeys ? /^[ -~]$/ : undefined);
      const name = fc
        .string({ unit, minLength: 1, maxLength: 20 })
        .filter((k) => !namesRe.test(k) && !taken.has(k));
      push(
        'propertyNames',
        fixed === undefined ? undefined : [fixed, 'x'],
        fc.tuple(name, fc.string({ maxLength: 8 })),
        member,
      );
    }
    // An extra member's name the object's `propertyNames` accepts, so it breaks one rule only.
    const extraName = (preferred: string) =>
      [preferred, 'CustomVar.Variable99', 'ct_extra', 'ct'].find((c) => !namesRe || namesRe.test(c)) ??
      preferred;
    const key = (holder: Schema) => keyArbitrary(holder, taken, options.asciiKeys);
    if (extra === false) {
      // A member the closed object does not list, e.g. a misspelling of a declared one.
      const misspelt = [...taken]
        .flatMap((k) => [k.toLowerCase(), k[0]!.toUpperCase() + k.slice(1)])
        .filter((k) => !taken.has(k));
      const name = misspelt.length ? fc.oneof(fc.constantFrom(...misspelt), key({})) : key({});
      push(
        keyword,
        [extraName('ctUnexpectedField'), 'x'],
        fc.tuple(name, fc.string({ maxLength: 8 })),
        member,
      );
    } else {
      const bad = wrongType(resolve(extra));
      if (bad) push(keyword, [extraName('ctExtraField'), bad.fixed], fc.tuple(key(schema), bad.bad), member);
    }
  };
  walk(node, [], 0);
  return out;
}

/**
 * The value with `bad` put at `path` (REMOVE leaves the member out); undefined when no object is
 * there to hold it. `holder` is the schema of a new member's object (`*`).
 */
export function applyBreaker(value: unknown, path: string[], bad: unknown, holder: Schema = {}): unknown {
  if (!path.length) return bad;
  const root = structuredClone(value);
  const last = path.at(-1)!;
  const above = path.slice(0, -1);
  const grand = at(root, above.slice(0, -1));
  // An optional object the value leaves out, with no required members, is valid empty: created,
  // so that its rules on new members can still be broken one at a time.
  const validEmpty =
    last === '*' &&
    above.length > 0 &&
    isJsonObject(grand) &&
    !(holder.required as unknown[] | undefined)?.length;
  const parent = at(root, above) ?? (validEmpty ? (grand[above.at(-1)!] = {}) : undefined);
  if (!isJsonObject(parent)) return undefined;
  if (bad === REMOVE) {
    if (!(last in parent)) return undefined;
    delete parent[last];
  } else if (last === '*') {
    const [key, v] = bad as [string, unknown];
    parent[key] = v;
  } else parent[last] = bad;
  return root;
}

export const breakerLabel = (b: Breaker) => `/${b.path.join('/')} ${b.keyword}`;

/**
 * One body per breaker of the request schema, from a valid one (`base`): the deterministic negative
 * cases. Properties the base body leaves out get a bad value of their own, so optional fields are
 * covered too; objects it leaves out are not invented (that would break more than one rule), except
 * an optional one that is valid empty. Each mutation carries the evidence its keyword rests on.
 */
export function mutationsOf(schemaNode: unknown, base: unknown): Mutation[] {
  return breakersOf(schemaNode, {}, base).flatMap((b) => {
    const body = b.fixed === undefined ? undefined : applyBreaker(base, b.path, b.fixed, b.schema);
    // A new member is named after its object, and `type` when only its value's type is wrong.
    const member = b.path.at(-1) === '*';
    const where = member ? b.path.slice(0, -1) : b.path;
    const typed = member && b.keyword !== 'propertyNames' && b.schema[b.keyword] !== false;
    const label = `/${where.join('/')} ${b.keyword}${typed ? ' type' : ''}`;
    return body === undefined
      ? []
      : [{ label, keyword: b.keyword, evidence: evidenceOf(b.schema, b.keyword), body }];
  });
}
