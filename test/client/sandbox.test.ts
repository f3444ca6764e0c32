// The client against the sandbox: real HTTP on loopback, faults from its control plane.
import { describe, expect, vi } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { freePort } from '../../src/mock/net.js';
import {
  TaskFailedError,
  TaskTimeoutError,
  createLivePlatformClient,
  isLivePlatformError,
  outcomeOf,
  parseLiveDate,
  resumeTask,
  unwrap,
  type LivePlatformClientOptions,
  type RetryInfo,
} from '../../src/index.js';
import type { CreateCustomerFromLeadRequest, Task } from '../../src/types.js';
import { sandboxTest, type TestSandbox } from '../support/fixtures.js';

const TENANT = 'f79a7f93-5ef7-47d2-92c8-e4570503cec3';
const TOKEN = 'client-suite-token';
const lead = specExample<CreateCustomerFromLeadRequest>('CreateCustomerFromLeadRequest');
const fast = { intervalMs: 20, maxIntervalMs: 80, timeoutMs: 10_000 };

// One sandbox for the file, on the wall clock: the client's poller waits in real time here (its
// timing is driven in test/tasks/poller.test.ts), so the tasks must progress in real time too.
const it = sandboxTest({ clock: Date, taskDurationMs: 150, tokens: [TOKEN] });
/** The file's sandbox, for the helpers below; set before each test. */
let sandbox: TestSandbox;
it.beforeEach(async ({ sandbox: shared }) => {
  sandbox = shared;
  await control('/_sandbox/reset');
});

async function control(path: string, body?: unknown) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: body === undefined && path.endsWith('/state') ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}
const fault = (f: Record<string, unknown>) => control('/_sandbox/faults', f);

/** A client whose requests and retries the test can count. */
function client(options: Partial<LivePlatformClientOptions> = {}) {
  const requests: string[] = [];
  const retries: RetryInfo[] = [];
  const lp = createLivePlatformClient({
    baseUrl: sandbox.url,
    token: TOKEN,
    fetch: (input, init) => {
      requests.push(`${init?.method} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
    retry: { baseDelayMs: 20, onRetry: (r) => retries.push(r), ...(options.retry || {}) },
    ...(options.validateResponses !== undefined && { validateResponses: options.validateResponses }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  return { lp, requests, retries };
}

describe('src/client against the sandbox', () => {
  it('runs a provisioning flow: convert the lead, import the customer, read its OVOC twin', async () => {
    const { lp } = client({ validateResponses: true });
    const progress: string[] = [];
    const poller = lp.beginCreateCustomerFromLead({ ...lead, msTenantId: TENANT }, fast);
    poller.onProgress((t) => progress.push(t.status));
    const converted = await poller;
    expect(outcomeOf(converted)).toBe('converted');
    expect(progress.at(-1)).toBe('CompletedSuccess');
    const guid = (converted.outputData as { umpCustomerGuid: string }).umpCustomerGuid;

    const imported = await lp.beginImportCustomer(
      guid,
      { customerType: 'TENANT_TYPE', customerMsTenantId: TENANT },
      fast,
    );
    expect(imported.status).toBe('CompletedSuccess');
    expect(imported.id).toMatch(/^tsk_/);

    // The OVOC id is not in the REST API (the vendor reads it in the OVOC UI); the sandbox tells it.
    const state = await control('/_sandbox/state');
    const ovocId = state.customers.find((c: { id: string }) => c.id === guid).ovocCustomerId as number;
    const ovoc = unwrap(
      await lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: ovocId } } }),
    );
    expect(ovoc.id).toBe(ovocId);
    expect(ovoc.name).toBe(lead.customerShortName);
    expect(parseLiveDate(ovoc.definedAt)).toBeInstanceOf(Date);

    // The same lead again: a success that created nothing, which the caller can tell apart.
    const again = await lp.beginCreateCustomerFromLead({ ...lead, msTenantId: TENANT }, fast);
    expect(again.status).toBe('CompletedSuccess');
    expect(outcomeOf(again)).toBe('already-converted');
  });

  it('honours Retry-After in seconds from a 429', async () => {
    await fault({ fault: '429', count: 1, operationId: 'getTask', retryAfter: '1' });
    const { lp, requests, retries } = client();
    const t0 = Date.now();
    expect((await lp.getTask('tsk_185510')).status).toBe('CompletedSuccess');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    expect(retries).toMatchObject([{ attempt: 2, status: 429, delayMs: 1000, operationId: 'getTask' }]);
    expect(requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP-date from a 503', async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    await fault({ fault: '503', count: 1, operationId: 'getTask', retryAfter: at.toUTCString() });
    const { lp, retries } = client();
    await lp.getTask('tsk_185510');
    // Not before the date (a jitter backoff of baseDelayMs 20 would have retried long before it);
    // the exact wait is checked on a driven clock in retry.test.ts.
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 20);
    expect(retries).toMatchObject([{ attempt: 2, status: 503, operationId: 'getTask' }]);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(2000);
  });

  it('keeps backoff within its bounds when the server sends no Retry-After', async () => {
    await fault({ fault: '503', count: 3, operationId: 'verifyLcCustomer' });
    const { lp, retries, requests } = client();
    const { data } = await lp.PUT('/api/ovoc/v1/topology/customers/{id}', {
      params: { path: { id: 85844 } },
    });
    expect(data?.id).toBe(85844);
    expect(requests).toEqual(Array(4).fill('PUT /api/ovoc/v1/topology/customers/85844'));
    retries.forEach((r, i) => expect(r.delayMs).toBeLessThanOrEqual(20 * 2 ** i));
  });

  it('does not retry a POST after a 503, and the lead stays unconverted', async () => {
    await fault({ fault: '503', count: 1, operationId: 'createCustomerFromLead' });
    const { lp, requests, retries } = client();
    const e = await lp.beginCreateCustomerFromLead(lead, fast).catch((x: unknown) => x);
    expect(isLivePlatformError(e, 503)).toBe(true);
    expect(requests).toEqual(['POST /api/v3/customer']);
    expect(retries).toHaveLength(0);
    const state = await control('/_sandbox/state');
    expect(state.leads.find((l: { msTenantId: string }) => l.msTenantId === TENANT).converted).toBe(false);
  });

  it('retries a POST after a 429 (the server did not act on it)', async () => {
    await fault({ fault: '429', count: 1, operationId: 'createCustomerFromLead', retryAfter: '0' });
    const { lp, requests } = client();
    expect(outcomeOf(await lp.beginCreateCustomerFromLead(lead, fast))).toBe('converted');
    expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(2);
  });

  it('retries a POST whose connection was refused, and gives up after maxAttempts', async () => {
    const port = await freePort();
    const retries: RetryInfo[] = [];
    const lp = createLivePlatformClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
      retry: { baseDelayMs: 1, maxAttempts: 3, onRetry: (r) => retries.push(r) },
    });
    await expect(lp.POST('/api/v3/customer', { body: lead })).rejects.toThrow(
      `createCustomerFromLead (POST to 127.0.0.1:${port}) got no answer: connection refused (ECONNREFUSED)`,
    );
    expect(retries.map((r) => [r.reason, r.operationId])).toEqual([
      ['network', 'createCustomerFromLead'],
      ['network', 'createCustomerFromLead'],
    ]);
  });

  it('an abort during a Retry-After sleep returns promptly', async () => {
    await fault({ fault: '503', count: 1, operationId: 'getTask', retryAfter: '5' });
    const { lp, requests } = client();
    const ac = new AbortController();
    const waiting = lp.tasks.wait('tsk_185510', { signal: ac.signal });
    await vi.waitUntil(() => requests.length === 1);
    ac.abort();
    // Had the abort not ended the 5 s wait, the next poll would have found the task complete and
    // the wait resolved: the rejection, and the single request, show the abort ended it.
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(requests).toHaveLength(1);
  });

  it('times out a slow attempt and retries the read', async () => {
    await fault({ fault: 'delay', count: 1, operationId: 'getTask', delayMs: 2000 });
    const { lp, retries } = client({ timeoutMs: 500 });
    expect((await lp.getTask('tsk_185510')).id).toBe('tsk_185510');
    expect(retries[0]!.reason).toBe('timeout');
  });

  it('gives TaskTimeoutError past the deadline of a task that stays InProgress', async () => {
    const stuck = specExample<Task>('TaskInProgress').id;
    const { lp } = client();
    const e = await lp.tasks.wait(stuck, { intervalMs: 20, timeoutMs: 250 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TaskTimeoutError);
    expect((e as TaskTimeoutError).lastTask?.status).toBe('InProgress');
    expect((e as TaskTimeoutError).taskId).toBe(stuck);
  });

  it('types failures: broken names give TaskFailedError, a tenant without a lead validation-failed', async () => {
    const { lp } = client();
    const tooLong = specExample<CreateCustomerFromLeadRequest>('CreateCustomerFromLeadShortNameTooLong');
    const e = (await lp
      .beginCreateCustomerFromLead(tooLong, fast)
      .catch((x: unknown) => x)) as TaskFailedError;
    expect(e).toBeInstanceOf(TaskFailedError);
    expect(e.outcome).toBe('failed');
    expect(e.executionMessages.map((m) => m.message).join()).toMatch(/between 3 and 15/);
    const noLead = await lp.beginCreateCustomerFromLead(
      { ...lead, msTenantId: '00000000-0000-4000-8000-000000000000' },
      { ...fast, throwOnFailure: false },
    );
    expect(outcomeOf(noLead)).toBe('validation-failed');
  });

  it('serializes a running task and resumes it from another client', async () => {
    const first = client();
    const poller = first.lp.beginCreateCustomerFromLead(lead, fast);
    await poller.taskId;
    const saved = poller.serialize();
    const second = client();
    const task = await resumeTask(second.lp, saved, fast);
    expect(outcomeOf(task)).toBe('converted');
    expect(second.requests.every((r) => r.startsWith('GET /api/v2/task/wst_'))).toBe(true);
  });
});
