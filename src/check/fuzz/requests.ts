// Requests of one operation, valid or breaking one keyword, built from the operation's schemas in
// the bundled contract. Names carry the run prefix on a server the checker did not start; ids the
// server must already know (the int64 members of a body: SBC and script ids) keep the contract's
// example value, since a made-up SBC id only tests the 400 for an unknown SBC.
import fc from 'fast-check';
import { segmentProblem } from '../../internal/path-params.js';
import {
  coerceParams,
  specExample,
  validateParams,
  validateRequestBody,
  type OperationInfo,
} from '../../contract/index.js';
import { evidenceOf, isLenient, type Evidence } from '../evidence.js';
import { examplePath } from '../cases.js';
import { schemaAt } from '../mutations.js';
import { nameFields } from '../names.js';
import type { CheckRequest } from '../types.js';
import {
  applyBreaker,
  breakerLabel,
  breakersOf,
  REMOVE,
  type Breaker,
  type BreakerOptions,
} from './invalid.js';
import { arbitraryFor, boundedLength, charUnit, repeatedClass, stringOf, type Schema } from './valid.js';

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
}

export interface RequestOptions {
  /** Names start with it (servers the checker did not start); undefined leaves names free. */
  prefix?: string;
}

const pathParams = (op: OperationInfo) => op.parameters.filter((p) => p.in === 'path');

const exampleBody = (op: OperationInfo): unknown => {
  const name = op.requestBody?.examples[0];
  return name ? specExample(name) : undefined;
};

const at = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );

function bodyOverride(op: OperationInfo, options: RequestOptions) {
  const names = new Set(nameFields(op));
  const example = exampleBody(op);
  return (path: string[], schema: Schema): fc.Arbitrary<unknown> | undefined => {
    if (schema.type === 'integer' && schema.format === 'int64') {
      const known = at(example, path);
      if (typeof known === 'number') return fc.constant(known);
    }
    if (options.prefix !== undefined && path.length === 1 && names.has(path[0]!)) {
      const prefix = options.prefix;
      const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : NAME_LIMIT;
      const min = Math.max(0, minLength - prefix.length);
      const max = maxLength - prefix.length;
      if (max < min) return undefined;
      const unit = typeof schema.pattern === 'string' ? repeatedClass(schema.pattern) : undefined;
      // Names the task checks (v3) follow its rule: letters, digits and `_`.
      const chars = charUnit(unit ?? /^[\p{L}\p{N}_]$/u);
      return stringOf(chars, boundedLength(min, max)).map((s) => prefix + s);
    }
    return undefined;
  };
}

function toRequest(op: OperationInfo, parts: RequestParts): CheckRequest {
  const raw = Object.fromEntries(Object.entries(parts.params).map(([k, v]) => [k, String(v)]));
  return {
    method: op.method,
    path: examplePath(op, raw),
    auth: 'token',
    ...(parts.body !== undefined ? { body: parts.body } : {}),
  };
}

/** Params as they arrive at a server: strings, coerced the way the contract's validator reads them. */
const paramIssues = (op: OperationInfo, params: Record<string, unknown>) =>
  validateParams(
    op,
    coerceParams(op, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))),
  );

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
        arbitraryFor(schemaAt(p.schemaPointer), {}, [p.name]).filter((v) => !segmentProblem(String(v))),
      ]),
    ),
  );
  if (!op.requestBody) return params.map((p) => ({ params: p }));
  const body = arbitraryFor(schemaAt(op.requestBody.schemaPointer), { override: bodyOverride(op, options) });
  return fc.record({ params, body });
}

/** Valid requests of the operation; the caller still discards any its validators refuse. */
export function validCases(op: OperationInfo, options: RequestOptions = {}): fc.Arbitrary<GeneratedCase> {
  return partsArbitrary(op, options).map((parts) => ({ request: toRequest(op, parts), parts }));
}

interface PlacedBreaker extends Breaker {
  in: 'body' | 'params';
}

/** Every keyword one invalid request can break, body and path parameters alike. */
export function breakersFor(op: OperationInfo, options: BreakerOptions = {}): PlacedBreaker[] {
  const out: PlacedBreaker[] = [];
  for (const p of pathParams(op)) {
    for (const b of breakersOf(schemaAt(p.schemaPointer), [p.name], 0, options))
      // A parameter reaches the server as text: only what still reads as a broken rule there counts.
      if (b.keyword !== 'type' && b.keyword !== 'required') out.push({ ...b, in: 'params' });
  }
  if (op.requestBody)
    for (const b of breakersOf(schemaAt(op.requestBody.schemaPointer), [], 0, options))
      out.push({ ...b, in: 'body' });
  return out;
}

/**
 * Invalid requests that break one keyword each, on top of a generated valid request. `keep` drops
 * the breakers that may not be sent (lenient rules as writes to a server the checker did not start,
 * names that could not carry the run prefix).
 */
export function invalidCases(
  op: OperationInfo,
  options: RequestOptions & BreakerOptions & { keep?: (b: PlacedBreaker, lenient: boolean) => boolean } = {},
): fc.Arbitrary<GeneratedCase | undefined> | undefined {
  const names = new Set(nameFields(op));
  const breakers = breakersFor(op, options).filter((b) => {
    const lenient = isLenient(evidenceOf(b.schema, b.keyword));
    if (options.keep && !options.keep(b, lenient)) return false;
    // On a real tenant a name always starts with the run prefix, even a broken one.
    const isName = b.in === 'body' && b.path.length === 1 && names.has(b.path[0]!);
    return !(
      options.prefix !== undefined &&
      isName &&
      (b.keyword === 'type' || b.keyword === 'minLength' || b.bad === 'remove')
    );
  });
  if (!breakers.length) return undefined;
  const isName = (b: Breaker) => b.path.length === 1 && names.has(b.path[0]!);
  return fc.integer({ min: 0, max: breakers.length - 1 }).chain((i) => {
    const b = breakers[i]!;
    const bad = b.bad === 'remove' ? fc.constant(REMOVE as unknown) : b.bad;
    return fc.tuple(partsArbitrary(op, options), bad).map(([parts, value]): GeneratedCase | undefined => {
      let v = value;
      if (options.prefix !== undefined && b.in === 'body' && isName(b) && typeof v === 'string')
        v = options.prefix + v;
      const broken = { label: breakerLabel(b), evidence: evidenceOf(b.schema, b.keyword), in: b.in };
      if (b.in === 'params') {
        const params = applyBreaker(parts.params, b.path, v) as Record<string, unknown> | undefined;
        // An empty segment, `.` or `..` changes the route, not the parameter.
        if (!params || Object.values(params).some((x) => segmentProblem(String(x)))) return undefined;
        if (!paramIssues(op, params).length) return undefined;
        const next = { ...parts, params };
        return { request: toRequest(op, next), parts: next, broken };
      }
      const body = applyBreaker(parts.body, b.path, v);
      if (body === undefined || validateRequestBody(op, body).length === 0) return undefined;
      const next = { ...parts, body };
      return { request: toRequest(op, next), parts: next, broken };
    });
  });
}
