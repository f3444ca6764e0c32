// Requests of one operation, valid or breaking one keyword, from its schemas in the bundled contract.
// Names carry the run prefix on a server the checker did not start, then any character (v3 names
// are the task's rule, not the request's). Ids the server must already know (int64 members the
// example gives: SBC, script ids) mostly keep the example's value, so the request gets past the
// lookup (a 400 naming only those is the server's state: `referenceMembers`).
import fc from 'fast-check';
import { segmentProblem } from '../../internal/path-params.js';
import { routeMatcher } from '../../internal/routes.js';
import {
  coerceParams,
  validateParams,
  validateRequestBody,
  type OperationInfo,
} from '../../contract/index.js';
import { evidenceOf, isLenient, type Evidence } from '../evidence.js';
import { examplePath } from '../cases.js';
import { resolve, schemaAt } from '../schema.js';
import { freshName, nameFields } from '../names.js';
import { at, exampleBody } from '../references.js';
import type { CheckRequest } from '../types.js';
import type { KnownIds } from './links.js';
import { applyBreaker, breakerLabel, breakersOf, type Breaker, type BreakerOptions } from '../mutations.js';
import {
  arbitraryFor,
  boundedLength,
  caseTwin,
  charUnit,
  integerArbitrary,
  patternedIdEdges,
  stringLimits,
  stringOf,
  type Schema,
} from './valid.js';

/** The vendor's limit on customer names (3-15 characters); unbounded name fields stay within it. */
export const NAME_LIMIT = 15;

export interface RequestParts {
  params: Record<string, unknown>;
  body?: unknown;
}

export interface GeneratedCase {
  request: CheckRequest;
  parts: RequestParts;
  /** For an invalid case: the keyword it breaks, where, and what that rule rests on. */
  broken?: { label: string; evidence: Evidence; in: 'body' | 'params' };
  /** A write accepted earlier, sent again as it was or with its names in another letter case. */
  repeats?: 'same' | 'case';
}

export interface RequestOptions {
  /** Names start with it (servers the checker did not start); undefined leaves names free. */
  prefix?: string;
}

const pathParams = (op: OperationInfo) => op.parameters.filter((p) => p.in === 'path');

function bodyOverride(op: OperationInfo, options: RequestOptions) {
  const names = new Set(nameFields(op));
  const example = exampleBody(op);
  return (path: string[], schema: Schema): fc.Arbitrary<unknown> | undefined => {
    if (schema.type === 'integer' && schema.format === 'int64') {
      const known = at(example, path);
      if (typeof known === 'number')
        return fc.oneof(
          { withCrossShrink: true },
          { arbitrary: fc.constant(known), weight: 3 },
          { arbitrary: integerArbitrary(schema), weight: 1 },
        );
    }
    if (options.prefix === undefined || path.length !== 1 || !names.has(path[0]!)) return undefined;
    const prefix = options.prefix;
    const { min, max, unit } = stringLimits({ maxLength: NAME_LIMIT, ...schema });
    if (max - prefix.length < Math.max(0, min - prefix.length)) return undefined;
    // A name the request does not constrain (v3: the task checks it) gets any character: an
    // apostrophe or a space the vendor allows, and the ones it forbids.
    const length = boundedLength(Math.max(0, min - prefix.length), max - prefix.length);
    return stringOf(charUnit(unit), length).map((s) => prefix + s);
  };
}

/** Params as they arrive at a server: text. */
const asText = (params: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));

/** The case with these parts, its request built from them. */
function withParts<C extends object>(op: OperationInfo, c: C, parts: RequestParts): C & GeneratedCase {
  const request: CheckRequest = {
    method: op.method,
    path: examplePath(op, asText(parts.params)),
    auth: 'token',
    ...(parts.body !== undefined ? { body: parts.body } : {}),
  };
  return { ...c, request, parts };
}

/** The params' issues as a server reads them: text, coerced the way the contract's validator does. */
const paramIssues = (op: OperationInfo, params: Record<string, unknown>) =>
  validateParams(op, coerceParams(op, asText(params)));

/**
 * The case with each name its body carries renamed, itself when none changed; undefined when
 * `rename` finds no name that fits.
 */
function renameCase<C extends GeneratedCase>(
  op: OperationInfo,
  c: C,
  rename: (name: string, key: string) => string | undefined,
): C | undefined {
  const body = c.parts.body as Record<string, unknown>;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return c;
  const next = { ...body };
  for (const k of nameFields(op)) {
    if (typeof body[k] !== 'string') continue;
    const name = rename(body[k], k);
    if (name === undefined) return undefined;
    next[k] = name;
  }
  return nameFields(op).some((k) => next[k] !== body[k]) ? withParts(op, c, { ...c.parts, body: next }) : c;
}

/** Whether the contract's own validators accept the request (a "valid" case they reject is never sent). */
export function isValidCase(op: OperationInfo, parts: RequestParts): boolean {
  if (paramIssues(op, parts.params).length) return false;
  return !op.requestBody || validateRequestBody(op, parts.body).length === 0;
}

function partsArbitrary(op: OperationInfo, options: RequestOptions): fc.Arbitrary<RequestParts> {
  const params = fc.record(
    Object.fromEntries(
      pathParams(op).map((p) => [
        p.name,
        // A value that cannot be one path segment (`.`, `..`, a lone surrogate) changes the route.
        arbitraryFor(schemaAt(p.schemaPointer), undefined, [p.name]).filter(
          (v) => !segmentProblem(String(v)),
        ),
      ]),
    ),
  );
  if (!op.requestBody) return params.map((p) => ({ params: p }));
  const body = arbitraryFor(schemaAt(op.requestBody.schemaPointer), bodyOverride(op, options));
  return fc.record({ params, body });
}

/** Valid requests of the operation; the caller still discards any its validators refuse. */
export function validCases(op: OperationInfo, options: RequestOptions = {}): fc.Arbitrary<GeneratedCase> {
  return partsArbitrary(op, options).map((parts) => withParts(op, {}, parts));
}

const INT_EDGES = [2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER];

/** The path parameters' own examples, as the deterministic cases send them. */
function exampleParams(op: OperationInfo): Record<string, unknown> {
  const m = routeMatcher([op])(op.method, examplePath(op));
  return m.kind === 'operation' ? m.pathParams : {};
}

/**
 * The first valid cases of a property, one edge at a time on the operation's example (the coverage
 * a generic tool starts with; docs/checker.md lists them). Each has a fresh name, so none ends at a 409.
 */
export function edgeCases(op: OperationInfo, options: RequestOptions = {}): GeneratedCase[] {
  const params = exampleParams(op);
  const out: RequestParts[] = [];
  /** Which member each body case puts at an edge (by the case's index). */
  const edged = new Map<number, string>();
  const add = (body: unknown, member?: string) => {
    if (member) edged.set(out.length, member);
    out.push({ params, body });
  };
  for (const p of pathParams(op)) {
    const schema = schemaAt(p.schemaPointer);
    const values =
      schema.type === 'integer'
        ? INT_EDGES.map(String)
        : typeof schema.pattern === 'string'
          ? patternedIdEdges(schema)
          : [];
    for (const v of values) out.push({ params: { ...params, [p.name]: v } });
  }
  const example = exampleBody(op) as Record<string, unknown> | undefined;
  if (!op.requestBody || !example || typeof example !== 'object' || Array.isArray(example))
    return out.map((parts) => withParts(op, {}, parts));
  const root = schemaAt(op.requestBody.schemaPointer);
  const required = new Set(Array.isArray(root.required) ? (root.required as string[]) : []);
  // Only the required members, once per value of each required enum (an optional member left
  // out can matter for one value only).
  const requiredOnly = Object.fromEntries(Object.entries(example).filter(([k]) => required.has(k)));
  add(requiredOnly);
  for (const k of required) {
    const values = resolve(((root.properties ?? {}) as Record<string, unknown>)[k]).enum;
    for (const v of Array.isArray(values) ? values : [])
      if (v !== requiredOnly[k]) add({ ...requiredOnly, [k]: v });
  }
  // The body's own open map (customer variables beside the named fields): one entry whose value
  // holds letters outside ASCII and the BMP and an apostrophe, two entries, two keys that differ
  // only in letter case.
  const extra = [root.additionalProperties, root.unevaluatedProperties].find(
    (x) => x && typeof x === 'object',
  );
  if (extra && resolve(extra).type === 'string') {
    add({ ...requiredOnly, EdgeVariable1: "Éé𝔸'x" });
    add({ ...requiredOnly, EdgeVariable1: 'x', EdgeVariable2: 'y' });
    add({ ...requiredOnly, EdgeVariable: 'x', eDGEvARIABLE: 'y' });
  }
  // On the required members only: the edge is the one thing the case adds, so a failure on it is
  // already minimal (an example case is not shrunk).
  const members = (node: Schema, value: Record<string, unknown>, path: string[]) => {
    for (const [k, sub] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) {
      const schema = resolve(sub);
      const at = [...path, k];
      const put = (v: unknown) => add(applyBreaker(requiredOnly, at, v), at.join('.'));
      if (schema.type === 'string' && typeof schema.maxLength === 'number' && !schema.format) {
        const n = Math.min(schema.maxLength, 500);
        put('x'.repeat(n));
        put('x'.repeat(n - 1) + '𝔸');
        put('x'.repeat(Math.max(0, n - 2)) + "'x");
      } else if (schema.type === 'string' && !schema.enum && !schema.format && !schema.pattern) {
        put("x'x 𝔸");
      } else if (schema.type === 'integer') {
        for (const e of INT_EDGES) put(e);
      } else if (schema.type === 'object' && !schema.properties) {
        put({});
      } else if (schema.type === 'object' && value[k] && typeof value[k] === 'object' && required.has(k)) {
        members(schema, value[k] as Record<string, unknown>, at);
      }
    }
  };
  members(root, example, []);
  const prefix = options.prefix ?? '';
  return out.map((parts, i) =>
    renameCase(op, withParts(op, {}, parts), (v, k) => {
      // A fresh name per case: the run prefix and the case's number, then what the edge put
      // there (its last characters, so its length and its tail stay).
      const head = [...`${prefix}e${i.toString(36)}`];
      const cps = [...v];
      const name =
        edged.get(i) !== k
          ? head
          : cps.length > head.length
            ? [...head, ...cps.slice(head.length)]
            : [...head, ...cps].slice(0, Math.max(head.length, NAME_LIMIT));
      return name.join('').padEnd(3, 'x');
    })!,
  );
}

/** Writes a server accepted in this run, newest last, that later cases may send again. */
export const MAX_REPLAYS = 50;

/**
 * Valid cases that now and then repeat a write accepted earlier in the run (`accepted`, filled as
 * answers come), as it was or with its names in another letter case after the run prefix: 2xx or a
 * 409 for the name, never a crash. Drawn when the case is drawn, so the state it reads is the run's.
 */
export function withReplays(
  op: OperationInfo,
  fresh: fc.Arbitrary<GeneratedCase>,
  accepted: GeneratedCase[],
  options: RequestOptions = {},
): fc.Arbitrary<GeneratedCase> {
  const replay = fc.option(fc.tuple(fc.nat(), fc.constantFrom('same' as const, 'case' as const)), {
    freq: 4,
    nil: undefined,
  });
  const keep = options.prefix?.length ?? 0;
  return fc.tuple(fresh, replay).map(([c, r]) => {
    if (!r || !accepted.length) return c;
    const base = accepted[accepted.length - 1 - (r[0] % accepted.length)]!;
    const twin = r[1] === 'case' && renameCase(op, base, (v) => v.slice(0, keep) + caseTwin(v.slice(keep)));
    return twin && twin !== base
      ? { ...twin, repeats: 'case' as const }
      : { ...base, repeats: 'same' as const };
  });
}

/**
 * The case with each name made fresh against `isTaken` (names.ts freshName): a case drawn or shrunk
 * onto a taken name would end at a 409, which passes for a valid case and hides what it is about. A
 * replay keeps its names; an invalid one is never lengthened (a short name would become valid).
 * Undefined when no fresh name fits: the caller discards the case.
 */
export function withFreshNames(
  op: OperationInfo,
  c: GeneratedCase,
  isTaken: (name: string) => boolean,
  options: RequestOptions = {},
): GeneratedCase | undefined {
  if (c.repeats || !op.requestBody) return c;
  const properties = (schemaAt(op.requestBody.schemaPointer).properties ?? {}) as Record<string, unknown>;
  return renameCase(op, c, (v, k) => {
    const maxLength = resolve(properties[k]).maxLength;
    return freshName(v, options.prefix?.length ?? 0, isTaken, {
      maxLength: typeof maxLength === 'number' ? maxLength : NAME_LIMIT,
      append: !c.broken,
    });
  });
}

/**
 * Valid cases whose linked path parameters (links.ts) now and then take an id the run's answers gave,
 * newest first, not only a random one that is always 404. Drawn when the case is drawn.
 */
export function withKnownIds(
  op: OperationInfo,
  fresh: fc.Arbitrary<GeneratedCase>,
  ids: KnownIds,
): fc.Arbitrary<GeneratedCase> {
  const links = ids.links.filter((l) => l.operationId === op.operationId);
  if (!links.length) return fresh;
  const picks = fc.tuple(...links.map(() => fc.option(fc.nat(), { freq: 2, nil: undefined })));
  return fc.tuple(fresh, picks).map(([c, chosen]) => {
    let params = c.parts.params;
    links.forEach((link, i) => {
      const known = ids.of(link.name);
      const k = chosen[i];
      if (k === undefined || !known.length) return;
      params = { ...params, [link.param]: known[known.length - 1 - (k % known.length)]! };
    });
    return params === c.parts.params ? c : withParts(op, c, { ...c.parts, params });
  });
}

type PlacedBreaker = Breaker & { in: 'body' | 'params' };

/**
 * Invalid requests that break one keyword each (of the body or a path parameter) of a generated
 * valid request. `keep` drops the breakers that may not be sent (lenient rules as live writes).
 */
export function invalidCases(
  op: OperationInfo,
  options: RequestOptions & BreakerOptions & { keep?: (b: PlacedBreaker, lenient: boolean) => boolean } = {},
): fc.Arbitrary<GeneratedCase | undefined> | undefined {
  const names = new Set(nameFields(op));
  const isName = (b: PlacedBreaker) => b.in === 'body' && b.path.length === 1 && names.has(b.path[0]!);
  const breakers: PlacedBreaker[] = [
    ...pathParams(op).flatMap((p) =>
      breakersOf(schemaAt(p.schemaPointer), options)
        // A parameter reaches the server as text: only what still reads as a broken rule there counts.
        .filter((b) => b.keyword !== 'type' && b.keyword !== 'required')
        .map((b) => ({ ...b, path: [p.name, ...b.path], in: 'params' as const })),
    ),
    ...(op.requestBody
      ? breakersOf(schemaAt(op.requestBody.schemaPointer), options).map((b) => ({
          ...b,
          in: 'body' as const,
        }))
      : []),
  ].filter(
    (b) =>
      (!options.keep || options.keep(b, isLenient(evidenceOf(b.schema, b.keyword)))) &&
      // On a real tenant a name always starts with the run prefix, even a broken one.
      !(
        options.prefix !== undefined &&
        isName(b) &&
        (b.keyword === 'type' || b.keyword === 'minLength' || b.keyword === 'required')
      ),
  );
  if (!breakers.length) return undefined;
  return fc.integer({ min: 0, max: breakers.length - 1 }).chain((i) => {
    const b = breakers[i]!;
    const broken = { label: breakerLabel(b), evidence: evidenceOf(b.schema, b.keyword), in: b.in };
    return fc.tuple(partsArbitrary(op, options), b.bad).map(([parts, value]): GeneratedCase | undefined => {
      const v =
        options.prefix !== undefined && isName(b) && typeof value === 'string'
          ? options.prefix + value
          : value;
      if (b.in === 'body') {
        const body = applyBreaker(parts.body, b.path, v, b.schema);
        if (body === undefined || validateRequestBody(op, body).length === 0) return undefined;
        return withParts(op, { broken }, { ...parts, body });
      }
      const params = applyBreaker(parts.params, b.path, v) as Record<string, unknown> | undefined;
      // An empty segment, `.` or `..` changes the route, not the parameter.
      if (!params || Object.values(params).some((x) => segmentProblem(String(x)))) return undefined;
      return paramIssues(op, params).length ? withParts(op, { broken }, { ...parts, params }) : undefined;
    });
  });
}
