import { afterEach, describe, expect } from 'vitest';
import { test as it } from '../support/fixtures.js';
import { checkTarget, type TargetReport } from '../../src/check/index.js';
import { fetchTransport, MAX_RESPONSE_BYTES, RequestFailure } from '../../src/check/http.js';
import { nextPollGap } from '../../src/check/pacing.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { GOOD_TOKEN, startConforming, type RunningTestServer } from './broken/conforming.js';
import { startDripBody, startDripHeaders } from './hostile/drip.js';
import { startResetMidBody } from './hostile/reset.js';
import { startRetryLoop } from './hostile/retry-loop.js';

let server: RunningTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const failures = (r: TargetReport) => r.outcomes.filter((o) => o.verdict === 'failed');

describe('src/check against hostile servers (test/check/hostile)', () => {
  for (const [what, start] of [
    ['headers', startDripHeaders],
    ['body', startDripBody],
  ] as const) {
    it(`ends against a server that drips its ${what} a byte at a time: a hard deadline per request`, async () => {
      const dripping = await start(100);
      server = dripping;
      const report = await checkTarget({
        baseUrl: dripping.url,
        token: GOOD_TOKEN,
        requestTimeoutMs: 400,
        concurrency: 16,
      });
      const reasons = new Set(failures(report).map((o) => o.reason));
      expect([...reasons]).toEqual(['no response: no complete response within 400 ms']);
      expect(report.setupProblem).toBeUndefined();
      // The server never ends a response: every connection it got, the checker cut off itself
      // (their close reaches the server a moment after the report).
      expect(dripping.connections()).toBeGreaterThan(0);
      await expect.poll(() => dripping.open(), { timeout: 10_000 }).toBe(0);
    });
  }

  it('says "the server closed the connection" for a reset mid-body, not "cannot reach"', async () => {
    server = await startResetMidBody();
    const report = await checkTarget({ baseUrl: server.url, token: GOOD_TOKEN });
    expect(failures(report).length).toBeGreaterThan(0);
    for (const o of failures(report))
      expect(o.reason).toMatch(/^no response: the server closed the connection mid-response/);
  });

  it('bounds the task workflow on a getTask that always answers 429 Retry-After: 0', async () => {
    const loop = await startRetryLoop();
    server = loop;
    const report = await checkTarget({
      baseUrl: loop.url,
      token: GOOD_TOKEN,
      allowWrites: true,
      pollIntervalMs: 200,
      taskTimeoutMs: 1000,
    });
    // Four followed tasks (import, three lead examples) of at most five polls, and the getTask cases.
    expect(loop.getTaskRequests()).toBeLessThanOrEqual(40);
    const lifecycle = failures(report).filter((o) => o.check === 'task_lifecycle');
    expect(lifecycle.length).toBeGreaterThan(0);
    for (const o of lifecycle)
      expect(o.reason).toMatch(/getTask answered 429 to all \d+ polls .* within 1000 ms/);
  });

  it('blames the token, not the server, when every valid request gets 401', async () => {
    const token = 'not-the-right-one';
    server = await startConforming();
    const report = await checkTarget({ baseUrl: server.url, token });
    expect(report.setupProblem).toMatch(
      /^the server refused the token \(401, WWW-Authenticate: Bearer error="invalid_token"\)/,
    );
    expect(report.setupProblem).not.toContain(token);
  });

  it('asks whether --base-url is the API root when nearly everything answers 404', async () => {
    server = await startConforming();
    const report = await checkTarget({ baseUrl: `${server.url}/api`, token: GOOD_TOKEN });
    expect(report.setupProblem).toMatch(
      /requests with the token got 404: is --base-url \(http:\/\/127\.0\.0\.1:\d+\/api\) the API root\?/,
    );
    expect(report.setupProblem).toContain(`${server.url}/api/api/`);
    expect(report.setupProblem).toContain(`(try ${server.url})`);
  });

  it('asks about the base URL on the sandbox too, which answers 401 before it routes a request without a token', async ({
    serve,
  }) => {
    const sandbox = await serve(startSandbox({ port: 0 }));
    const report = await checkTarget({ baseUrl: `${sandbox.url}/api`, token: sandbox.tokens[0]! });
    expect(report.setupProblem).toMatch(/^\d+ of \d+ requests with the token got 404: is --base-url/);
    const right = await checkTarget({ baseUrl: sandbox.url, token: sandbox.tokens[0]! });
    expect(right.setupProblem).toBeUndefined();
  });

  it('skips the lead workflow with the reason when --target sandbox names a server without the control plane', async () => {
    server = await startConforming();
    const report = await checkTarget({ baseUrl: server.url, token: GOOD_TOKEN, kind: 'sandbox' });
    const skip = report.outcomes.find((o) => o.check === 'already_converted');
    expect(skip?.verdict).toBe('skipped');
    expect(skip?.reason).toMatch(/^the sandbox gave no lead \(POST \/_sandbox\/leads answered 404\)/);
  });

  it('redacts the token from the requests a report keeps, when a server makes it an id the checker then uses', async () => {
    // A TaskId-shaped token, answered as the import's task id: the checker then polls /api/v2/task/<token>.
    const token = 'tsk_90210';
    server = await startConforming({
      token,
      override: ({ operationId, send }) => {
        if (operationId !== 'importCustomerFromOvoc') return false;
        send(200, token);
        return true;
      },
    });
    const report = await checkTarget({
      baseUrl: server.url,
      token,
      kind: 'sandbox',
      generate: false,
      taskTimeoutMs: 2_000,
    });
    const polled = report.outcomes.some((o) =>
      o.exchange?.request.path.startsWith('/api/v2/task/[redacted]'),
    );
    expect(polled).toBe(true);
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it('finds no setup problem on a conforming server', async () => {
    server = await startConforming();
    const report = await checkTarget({ baseUrl: server.url, token: GOOD_TOKEN });
    expect(report.setupProblem).toBeUndefined();
    expect(failures(report)).toEqual([]);
  });
});

describe('src/check/http.ts fetchTransport (an injected fetch)', () => {
  const endless = (chunk: Uint8Array, delayMs = 0) =>
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        controller.enqueue(chunk);
      },
    });

  it('reads at most MAX_RESPONSE_BYTES of a body that never ends', async () => {
    const f = (async () => new Response(endless(new Uint8Array(64 * 1024).fill(49)))) as typeof fetch;
    const res = await fetchTransport(f)('http://127.0.0.1:1/', {
      method: 'GET',
      headers: {},
      timeoutMs: 10_000,
    });
    expect(res.truncated).toBe(true);
    expect(res.text.length).toBe(MAX_RESPONSE_BYTES);
  });

  it('ends a body that drips past the deadline', async () => {
    const f = (async (_url: string, init: RequestInit) =>
      new Response(endless(new Uint8Array([49]), 20), {
        signal: init.signal,
      } as ResponseInit)) as typeof fetch;
    const err = await fetchTransport(f)('http://127.0.0.1:1/', {
      method: 'GET',
      headers: {},
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestFailure);
    expect(err).toMatchObject({ code: 'deadline', phase: 'body', deadlineMs: 200 });
  });
});

describe('src/check/pacing.ts', () => {
  const at = (a: Partial<Parameters<typeof nextPollGap>[0]>) =>
    nextPollGap({ intervalMs: 2000, kind: 'running', remainingMs: 60_000, ...a });

  it('waits the whole interval after a busy answer whatever Retry-After says, longer if it asks', () => {
    expect(at({ kind: 'busy', retryAfterMs: 0 })).toBe(2000);
    expect(at({ kind: 'busy' })).toBe(2000);
    expect(at({ kind: 'busy', retryAfterMs: 5000 })).toBe(5000);
  });

  it('backs off from 50 ms up to the interval while a task runs, and confirms a terminal one quickly', () => {
    expect(at({})).toBe(50);
    expect(at({ previousMs: 50 })).toBe(100);
    expect(at({ previousMs: 1600 })).toBe(2000);
    expect(at({ previousMs: 2000 })).toBe(2000);
    expect(at({ kind: 'terminal' })).toBe(200);
    expect(at({ intervalMs: 20 })).toBe(20);
  });

  it('stops at the deadline instead of sleeping past it', () => {
    expect(at({ kind: 'busy', remainingMs: 2000 })).toBeUndefined();
    expect(at({ kind: 'busy', retryAfterMs: 90_000 })).toBeUndefined();
    expect(at({ remainingMs: 10 })).toBeUndefined();
  });
});
