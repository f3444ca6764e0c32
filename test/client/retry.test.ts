import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { createLivePlatformClient, isLivePlatformError, unwrap, type RetryInfo } from '../../src/index.js';
import type { CreateEssentialsCustomerRequest, Task } from '../../src/types.js';
import { drive } from '../support/clock.js';
import { fakeFetch, hang, json, problem, refused, reset, type Answer } from './fake-fetch.js';

const task = specExample<Task>('TaskConverted');
const essentials = specExample<CreateEssentialsCustomerRequest>('CreateEssentialsCustomerRequest');
const BASE = 'https://live.example.com';

function client(
  answers: Answer[],
  options: { baseDelayMs?: number; maxAttempts?: number; maxDelayMs?: number; timeoutMs?: number } = {},
) {
  const { fetch, sent } = fakeFetch(...answers);
  const retries: RetryInfo[] = [];
  const lp = createLivePlatformClient({
    baseUrl: BASE,
    token: 'secret-token',
    fetch,
    timeoutMs: options.timeoutMs ?? 0,
    retry: {
      baseDelayMs: options.baseDelayMs ?? 5,
      maxAttempts: options.maxAttempts ?? 4,
      maxDelayMs: options.maxDelayMs ?? 10_000,
      onRetry: (info) => retries.push(info),
    },
  });
  return { lp, sent, retries };
}

const getTask = (lp: ReturnType<typeof client>['lp'], signal?: AbortSignal) =>
  lp.GET('/api/v2/task/{taskId}', { params: { path: { taskId: 'wst_1' } }, signal });
const verify = (lp: ReturnType<typeof client>['lp']) =>
  lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: 85844 } } });
const createEssentials = (lp: ReturnType<typeof client>['lp']) =>
  lp.POST('/api/v2/customer', { body: essentials });

// The waits between attempts are timers: these tests run on vitest's fake timers and Date, and
// drive() moves time only as far as the retries need (a Retry-After of 1 s takes no real second).
describe('src/client/transport.ts: retries', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a GET on 429, 502, 503 and 504, and each retry reaches onRetry', async () => {
    const { lp, sent, retries } = client([problem(429), problem(502), problem(503), json(task)], {
      maxAttempts: 5,
    });
    const { data } = await drive(getTask(lp));
    expect(data).toEqual(task);
    expect(sent).toHaveLength(4);
    expect(retries.map((r) => [r.attempt, r.status, r.reason, r.operationId, r.method])).toEqual([
      [2, 429, 'status', 'getTask', 'GET'],
      [3, 502, 'status', 'getTask', 'GET'],
      [4, 503, 'status', 'getTask', 'GET'],
    ]);
    const { lp: lp2, sent: sent2 } = client([problem(504), json(task)]);
    expect((await drive(getTask(lp2))).data).toEqual(task);
    expect(sent2).toHaveLength(2);
  });

  it('does not retry a status that is not transient', async () => {
    for (const status of [400, 401, 404, 500]) {
      const { lp, sent } = client([problem(status), json(task)]);
      expect((await drive(getTask(lp))).response.status).toBe(status);
      expect(sent).toHaveLength(1);
    }
  });

  it('keeps full-jitter waits within base * 2^(n-1) when the server sends no Retry-After', async () => {
    const { lp, retries } = client([problem(503), problem(503), problem(503), json(task)], {
      baseDelayMs: 8,
    });
    await drive(getTask(lp));
    expect(retries.map((r) => r.attempt)).toEqual([2, 3, 4]);
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThanOrEqual(8 * 2 ** i);
    });
  });

  it('honours Retry-After in seconds', async () => {
    const { lp, sent, retries } = client([problem(429, {}, { 'retry-after': '1' }), json(task)]);
    await drive(getTask(lp));
    expect(retries[0]!.delayMs).toBe(1_000);
    expect(sent[1]!.at - sent[0]!.at).toBe(1_000);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1_000);
    const { lp, sent, retries } = client([problem(503, {}, { 'retry-after': at.toUTCString() }), json(task)]);
    await drive(getTask(lp));
    // The date is whole seconds, 1 to 2 s ahead: the wait is what is left until then.
    expect(retries[0]!.delayMs).toBe(at.getTime() - sent[0]!.at);
    expect(sent[1]!.at).toBe(at.getTime());
  });

  it('stops at maxAttempts and hands back the last answer', async () => {
    const { lp, sent } = client([problem(503)], { maxAttempts: 3 });
    const { error, response } = await drive(getTask(lp));
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ status: 503 });
    expect(sent).toHaveLength(3);
  });

  it('does not wait past maxDelayMs: a long Retry-After goes back to the caller with retryAfterMs', async () => {
    const { lp, sent } = client([problem(429, {}, { 'retry-after': '120' }), json(task)], {
      maxDelayMs: 5_000,
    });
    const result = await drive(getTask(lp));
    expect(sent).toHaveLength(1);
    try {
      unwrap(result);
      expect.unreachable();
    } catch (e) {
      expect(isLivePlatformError(e, 429)).toBe(true);
      if (isLivePlatformError(e, 429)) expect(e.retryAfterMs).toBe(120_000);
    }
  });

  it('retries the read-only PUT of verifyLcCustomer like a GET', async () => {
    const { lp, sent, retries } = client([problem(503), json(specExample('OvocCustomerBrad984'))]);
    expect((await drive(verify(lp))).response.status).toBe(200);
    expect(sent.map((s) => s.method)).toEqual(['PUT', 'PUT']);
    expect(retries[0]!.operationId).toBe('verifyLcCustomer');
  });

  it('never retries a POST after 502, 503 or 504: the server may have acted on it', async () => {
    for (const status of [502, 503, 504]) {
      const { lp, sent, retries } = client([problem(status), json({ id: 'x' })]);
      expect((await drive(createEssentials(lp))).response.status).toBe(status);
      expect(sent).toHaveLength(1);
      expect(retries).toHaveLength(0);
    }
  });

  it('retries a POST after 429, which the server did not process', async () => {
    const created = specExample('EssentialsCustomerCreated');
    const { lp, sent, retries } = client([problem(429, {}, { 'retry-after': '0' }), json(created)]);
    expect((await drive(createEssentials(lp))).data).toEqual(created);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body).toBe(JSON.stringify(essentials)); // the same body, sent again
    expect(retries[0]).toMatchObject({ operationId: 'createEssentialsCustomer', method: 'POST', delayMs: 0 });
  });

  it('retries a POST whose connection was refused, but not one that failed after connecting', async () => {
    const ok = json({ taskId: 'wst_1' });
    const refusedThenOk = client([refused(), ok]);
    const body = specExample<never>('CreateCustomerFromLeadRequest');
    expect((await drive(refusedThenOk.lp.POST('/api/v3/customer', { body }))).data).toEqual({
      taskId: 'wst_1',
    });
    expect(refusedThenOk.retries[0]).toMatchObject({
      reason: 'network',
      operationId: 'createCustomerFromLead',
    });
    const resetOnce = client([reset(), ok]);
    const e = (await drive(resetOnce.lp.POST('/api/v3/customer', { body })).catch(
      (x: unknown) => x,
    )) as Error;
    expect(e.message).toMatch(
      /^createCustomerFromLead \(POST to live\.example\.com:443\) got no answer: the connection was closed/,
    );
    expect((e.cause as Error).message).toBe('fetch failed');
    expect(resetOnce.sent).toHaveLength(1);
  });

  it('retries a GET after any network error', async () => {
    const { lp, sent } = client([reset(), refused(), json(task)]);
    expect((await drive(getTask(lp))).data).toEqual(task);
    expect(sent).toHaveLength(3);
  });

  it('turns retries off with retry: false', async () => {
    const { fetch, sent } = fakeFetch(problem(503), json(task));
    const lp = createLivePlatformClient({ baseUrl: BASE, token: 't', fetch, retry: false });
    expect((await drive(getTask(lp as never))).response.status).toBe(503);
    expect(sent).toHaveLength(1);
  });
});

// The per-attempt timeout is AbortSignal.timeout, which fake timers do not reach: these run on real
// timers and wait for events (a request sent, a retry announced), never for a length of time.
describe('src/client/transport.ts: timeouts and aborts', () => {
  it('times out each attempt, retries a GET that timed out, and reports the reason', async () => {
    const { lp, sent, retries } = client([hang, json(task)], { timeoutMs: 40 });
    expect((await getTask(lp)).data).toEqual(task);
    expect(sent).toHaveLength(2);
    expect(retries[0]!.reason).toBe('timeout');
  });

  it('does not resend a POST that timed out, and says which operation and how long', async () => {
    const { lp, sent } = client([hang, json({})], { timeoutMs: 40 });
    const err = await createEssentials(lp).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect((err as Error).message).toMatch(/createEssentialsCustomer.*40 ms.*timeoutMs/);
    expect(sent).toHaveLength(1);
  });

  it("combines the per-attempt timeout with the caller's signal", async () => {
    const { lp, sent } = client([hang], { timeoutMs: 10_000 });
    const ac = new AbortController();
    const pending = getTask(lp, ac.signal);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toHaveLength(1); // an abort is never retried
  });

  it('an abort during a backoff sleep returns promptly', async () => {
    vi.useFakeTimers();
    try {
      const { lp, sent, retries } = client([problem(503, {}, { 'retry-after': '30' }), json(task)], {
        maxDelayMs: 60_000,
      });
      const ac = new AbortController();
      const pending = getTask(lp, ac.signal);
      // onRetry runs just before the 30 s wait begins.
      await vi.waitUntil(() => retries.length === 1);
      const t0 = Date.now();
      ac.abort(new Error('user cancelled'));
      // No timer runs from here: only the abort can end the wait.
      await expect(pending).rejects.toThrow('user cancelled');
      expect(Date.now()).toBe(t0);
      expect(sent).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
