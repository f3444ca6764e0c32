import { pathSegment } from '../internal/path-params.js';
import {
  coerceParams,
  loadSpec,
  operations,
  specExample,
  validateParams,
  validateRequestBody,
  type OperationInfo,
} from '../contract/index.js';
import { evidenceOf, isLenient, type Evidence } from './evidence.js';
import { mutationsOf, schemaAt } from './mutations.js';
import type { CaseKind, CheckRequest } from './types.js';

export type { CaseKind } from './types.js';

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

/** The strictest evidence among the keywords that failed: a case is lenient only if all of them are. */
function strictest(schema: unknown, keywords: (string | undefined)[]): Evidence {
  const all = keywords.map((k) => evidenceOf(schema, k ?? ''));
  return all.find((e) => !isLenient(e)) ?? all[0] ?? 'vendor-table';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PROBE_METHODS = ['GET', 'PATCH', 'DELETE', 'POST', 'PUT'];

/**
 * Whether an operation changes state. Unsafe methods write unless the contract marks the operation
 * `x-safe: true` (verifyLcCustomer is a read the vendor serves with PUT).
 */
export function isWrite(operation: OperationInfo): boolean {
  if (SAFE_METHODS.has(operation.method)) return false;
  const item = loadSpec().paths[operation.path] as
    Record<string, { 'x-safe'?: boolean } | undefined> | undefined;
  return item?.[operation.method.toLowerCase()]?.['x-safe'] !== true;
}

/** A path parameter's value from the contract: the parameter's `example`, or its first `examples`. */
function parameterExample(operation: OperationInfo, name: string): string {
  const param = operation.parameters.find((p) => p.name === name);
  const holder = param
    ? (schemaAt(param.schemaPointer.replace(/\/schema$/, '')) as Record<string, unknown>)
    : {};
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
export function examplePath(operation: OperationInfo, overrides: Record<string, string> = {}): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    pathSegment(overrides[name] ?? parameterExample(operation, name), operation.operationId, name),
  );
}

export interface CaseOptions {
  /** Rewrites the names a body carries so that what the run creates is recognisable. */
  rename: (operation: OperationInfo, body: unknown) => unknown;
}

function positiveBodies(operation: OperationInfo, rename: CaseOptions['rename']) {
  if (!operation.requestBody) return [{ label: 'path example', body: undefined as unknown }];
  return operation.requestBody.examples.map((name) => ({
    label: name,
    body: rename(operation, specExample(name)),
  }));
}

function probeMethod(operation: OperationInfo): string | undefined {
  const declared = new Set(operations.filter((o) => o.path === operation.path).map((o) => o.method));
  return PROBE_METHODS.find((m) => !declared.has(m));
}

/** Every case of one operation: positive examples, one negative per constraint, auth, method. */
export function casesFor(operation: OperationInfo, options: CaseOptions): CheckCase[] {
  const writes = isWrite(operation);
  const path = examplePath(operation);
  const positives = positiveBodies(operation, options.rename);
  const cases: CheckCase[] = positives.map(({ label, body }) => ({
    name: `positive: ${label}`,
    kind: 'positive',
    operation,
    writes,
    request: { method: operation.method, path, auth: 'token', body },
  }));
  const base = positives[0]?.body;
  if (operation.requestBody && base !== undefined) {
    for (const m of mutationsOf(schemaAt(operation.requestBody.schemaPointer), base)) {
      // A mutation the contract's own validator accepts tests nothing; never send it.
      if (validateRequestBody(operation, m.body).length === 0) continue;
      cases.push({
        name: `negative: ${m.label}`,
        kind: 'negative',
        operation,
        writes,
        evidence: m.evidence,
        request: { method: operation.method, path, auth: 'token', body: m.body },
      });
    }
  }
  for (const param of operation.parameters.filter((p) => p.in === 'path')) {
    for (const m of mutationsOf(schemaAt(param.schemaPointer), parameterExample(operation, param.name))) {
      const value = String(m.body);
      // An empty segment would change the route, not the parameter.
      if (!value) continue;
      const raw = Object.fromEntries(
        operation.parameters.map((p) => [p.name, parameterExample(operation, p.name)]),
      );
      const issues = validateParams(operation, coerceParams(operation, { ...raw, [param.name]: value }));
      if (issues.length === 0) continue;
      cases.push({
        // Named by value: once in a URL every value is a string, so the broken rule is the validator's call.
        name: `negative: path ${param.name}=${value.length > 24 ? `${value.slice(0, 24)}…` : value}`,
        kind: 'negative',
        operation,
        writes,
        // In a URL every value is a string, so the rule that refuses it is the validator's to name.
        evidence: strictest(
          schemaAt(param.schemaPointer),
          issues.map((i) => i.keyword),
        ),
        request: {
          method: operation.method,
          path: examplePath(operation, { [param.name]: value }),
          auth: 'token',
          body: base,
        },
      });
    }
  }
  if (operation.secured) {
    for (const auth of ['none', 'wrong'] as const) {
      cases.push({
        name: auth === 'none' ? 'auth: no token' : 'auth: wrong token',
        kind: auth === 'none' ? 'auth-none' : 'auth-wrong',
        operation,
        writes,
        request: { method: operation.method, path, auth, body: base },
      });
    }
  }
  const method = probeMethod(operation);
  if (method) {
    cases.push({
      name: `method: ${method}`,
      kind: 'method',
      operation,
      writes: !SAFE_METHODS.has(method),
      request: { method, path, auth: 'token', ...(SAFE_METHODS.has(method) ? {} : { body: {} }) },
    });
  }
  return cases;
}

export function allCases(options: CaseOptions & { only?: string }): CheckCase[] {
  return operations
    .filter((o) => !options.only || o.operationId === options.only)
    .flatMap((o) => casesFor(o, options));
}
