// Drives a sandbox over HTTP with plain fetch and checks every answer against the contract: the
// status must be one the operation declares and the body (and declared headers) must validate.
// Suites call expectConformance() in afterAll so no response escapes the check.
import { expect } from 'vitest';
import { matchRoute, validateResponseBody, validateResponseHeaders } from '../../src/contract/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface CallOptions {
  /** A JSON value to send (sets Content-Type: application/json). */
  json?: unknown;
  /** A raw body, sent as is. */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Overrides the bearer token; null sends no Authorization header. */
  token?: string | null;
}

export interface Conformance {
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** Every violation seen so far (status undeclared, body or headers invalid, 5xx, not JSON). */
  violations: string[];
  /** How many answers were checked. */
  checked(): number;
}

export interface ConformanceOptions {
  fetch?: typeof fetch;
  /** 5xx statuses a suite provokes on purpose (a 503 fault); any other 5xx is a violation. */
  expected5xx?: number[];
}

export function conformance(baseUrl: string, token: string, options: ConformanceOptions = {}): Conformance {
  const fetchImpl = options.fetch ?? fetch;
  const expected5xx = options.expected5xx ?? [];
  const violations: string[] = [];
  let count = 0;

  function check(method: string, path: string, a: Answer) {
    count++;
    const where = `${method} ${path.slice(0, 80)} -> ${a.status}`;
    if (a.status >= 500 && !expected5xx.includes(a.status)) violations.push(`${where}: a 5xx`);
    const type = a.headers.get('content-type') ?? '';
    const wanted = a.status >= 400 ? 'application/problem+json' : 'application/json';
    if (!type.startsWith(wanted)) violations.push(`${where}: content-type ${type}, expected ${wanted}`);
    if (a.body === undefined) violations.push(`${where}: body is not JSON`);
    if (a.status >= 400 && (a.body?.status !== a.status || typeof a.body?.title !== 'string')) {
      violations.push(`${where}: not a problem body with status ${a.status}`);
    }
    const pathname = path.split('?')[0]!;
    const route = matchRoute(method, pathname);
    if (route.kind !== 'operation') return;
    const { declared, issues } = validateResponseBody(route.operation, a.status, a.body);
    if (!declared) violations.push(`${where}: status not declared for ${route.operation.operationId}`);
    for (const i of issues) violations.push(`${where}: body ${i.path} ${i.message}`);
    const headers: Record<string, string> = {};
    a.headers.forEach((v, k) => (headers[k] = v));
    for (const i of validateResponseHeaders(route.operation, a.status, headers)) {
      violations.push(`${where}: header ${i.path} ${i.message}`);
    }
  }

  return {
    violations,
    checked: () => count,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const bearer = options.token === undefined ? token : options.token;
      if (bearer !== null) headers.authorization ??= `Bearer ${bearer}`;
      let body: string | Uint8Array | undefined = options.raw;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetchImpl(baseUrl + path, { method, headers, body: body as BodyInit | undefined });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const answer: Answer = { status: res.status, headers: res.headers, text, body: parsed };
      check(method, path, answer);
      return answer;
    },
  };
}

/** Fails the suite when any checked answer broke the contract; also proves answers were checked. */
export function expectConformance(c: Conformance, atLeast = 1): void {
  expect(c.violations).toEqual([]);
  expect(c.checked()).toBeGreaterThanOrEqual(atLeast);
}

/**
 * Moves the sandbox's clock past its task duration (the fixtures' TestSandbox.finishTasks) and reads
 * the task, which has then left InProgress: no polling against the wall clock.
 */
export async function finishTask(
  c: Conformance,
  sandbox: { finishTasks(): void },
  id: string,
): Promise<Answer> {
  sandbox.finishTasks();
  const a = await c.call('GET', `/api/v2/task/${id}`);
  if (a.status === 200 && a.body.status === 'InProgress')
    throw new Error(`task ${id} still InProgress after the clock passed its duration`);
  return a;
}
