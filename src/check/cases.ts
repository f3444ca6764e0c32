import { expandPath } from '../internal/path-params.js';
import {
  coerceParams,
  operations,
  specExample,
  validateParams,
  validateRequestBody,
  type OperationInfo,
} from '../contract/index.js';
import { evidenceOf, isLenient, type Evidence } from './evidence.js';
import { mutationsOf } from './mutations.js';
import { SAFE_METHODS } from '../../scripts/spec-walk.mjs';
import { schemaAt } from './schema.js';
import type { CaseKind, CheckRequest } from './types.js';

/** One request the checker sends, and what it tests. Derived from the spec alone. */
export interface CheckCase {
  name: string;
  kind: CaseKind;
  operation: OperationInfo;
  request: CheckRequest;
  /** Whether it could change state on a server that got it wrong (see isWrite). */
  writes: boolean;
  /**
   * Negative cases: what the broken constraint rests on. A lenient one (ASP.NET default, our own
   * decision) is a warning when the server accepts it, and is never sent as a write to a server the
   * checker did not start.
   */
  evidence?: Evidence;
}

const PROBE_METHODS = ['GET', 'PATCH', 'DELETE', 'POST', 'PUT'];

/** Whether an operation changes state: not one the contract calls safe (spec-walk `safe`). */
export const isWrite = (operation: OperationInfo): boolean => !operation.safe;

/** A path parameter's value from the contract: the parameter's `example`, or its first `examples`. */
function parameterExample(operation: OperationInfo, name: string): string {
  const param = operation.parameters.find((p) => p.name === name);
  const holder = param ? schemaAt(param.schemaPointer.replace(/\/schema$/, '')) : {};
  const examples = holder.examples as Record<string, { value?: unknown }> | undefined;
  const value = holder.example ?? (examples ? Object.values(examples)[0]?.value : undefined);
  if (value === undefined)
    throw new Error(`the contract gives no example for path parameter ${name} of ${operation.operationId}`);
  return String(value);
}

/**
 * The operation's path with its example parameters, or `overrides`; each stays one segment
 * (src/internal/path-params.ts: `.`, `..` or a lone surrogate throws PathParameterError).
 */
export function examplePath(operation: OperationInfo, overrides: Record<string, unknown> = {}): string {
  const valueOf = (name: string) => overrides[name] ?? parameterExample(operation, name);
  return expandPath(operation.path, valueOf, operation.operationId);
}

export interface CaseOptions {
  /** Rewrites the names a body carries so that what the run creates is recognisable. */
  rename: (operation: OperationInfo, body: unknown) => unknown;
}

/** Every case of one operation: positive examples, one negative per constraint, auth, method. */
export function casesFor(operation: OperationInfo, options: CaseOptions): CheckCase[] {
  const writes = isWrite(operation);
  const path = examplePath(operation);
  const cases: CheckCase[] = [];
  const add = (name: string, kind: CaseKind, request: Partial<CheckRequest>, more?: Partial<CheckCase>) =>
    cases.push({
      name,
      kind,
      operation,
      writes,
      request: { method: operation.method, path, auth: 'token', ...request },
      ...more,
    });
  for (const label of operation.requestBody?.examples ?? [])
    add(`positive: ${label}`, 'positive', { body: options.rename(operation, specExample(label)) });
  if (!operation.requestBody) add('positive: path example', 'positive', { body: undefined });
  const base = cases[0]?.request.body;
  if (operation.requestBody && base !== undefined)
    for (const m of mutationsOf(schemaAt(operation.requestBody.schemaPointer), base))
      // A mutation the contract's own validator accepts tests nothing; never send it.
      if (validateRequestBody(operation, m.body).length)
        add(`negative: ${m.label}`, 'negative', { body: m.body }, { evidence: m.evidence });
  const examples = Object.fromEntries(
    operation.parameters.map((p) => [p.name, parameterExample(operation, p.name)]),
  );
  for (const param of operation.parameters.filter((p) => p.in === 'path')) {
    const schema = schemaAt(param.schemaPointer);
    for (const m of mutationsOf(schema, examples[param.name])) {
      const value = String(m.body);
      // An empty segment would change the route, not the parameter.
      const issues = value
        ? validateParams(operation, coerceParams(operation, { ...examples, [param.name]: value }))
        : [];
      if (!issues.length) continue;
      // In a URL every value is a string, so the case is named by value and the rule that refuses it
      // is the validator's to name: the strictest evidence among them (lenient only if all are).
      const evidence = issues.map((i) => evidenceOf(schema, i.keyword ?? ''));
      add(
        `negative: path ${param.name}=${value.length > 24 ? `${value.slice(0, 24)}…` : value}`,
        'negative',
        { path: examplePath(operation, { [param.name]: value }), body: base },
        { evidence: evidence.find((e) => !isLenient(e)) ?? evidence[0]! },
      );
    }
  }
  if (operation.secured) {
    add('auth: no token', 'auth-none', { auth: 'none', body: base });
    add('auth: wrong token', 'auth-wrong', { auth: 'wrong', body: base });
  }
  const declared = new Set(operations.filter((o) => o.path === operation.path).map((o) => o.method));
  const method = PROBE_METHODS.find((m) => !declared.has(m));
  const safe = !!method && SAFE_METHODS.includes(method);
  if (method)
    add(`method: ${method}`, 'method', { method, ...(safe ? {} : { body: {} }) }, { writes: !safe });
  return cases;
}

export function allCases(options: CaseOptions & { only?: string }): CheckCase[] {
  return operations
    .filter((o) => !options.only || o.operationId === options.only)
    .flatMap((o) => casesFor(o, options));
}
