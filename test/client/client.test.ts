import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import {
  LivePlatformError,
  ResponseValidationError,
  TaskFailedError,
  createLivePlatformClient,
  isLivePlatformError,
  outcomeOf,
  resumeTask,
  unwrap,
} from '../../src/index.js';
import type {
  CreateCustomerFromLeadRequest,
  CreateEssentialsCustomerRequest,
  ImportCustomerRequest,
  Task,
} from '../../src/types.js';
import { fakeFetch, json, problem, type Answer } from './fake-fetch.js';

const BASE = 'https://live.example.com/tenant-a/';
const TOKEN = 'secret-token-value';
const lead = specExample<CreateCustomerFromLeadRequest>('CreateCustomerFromLeadRequest');
const importBody = specExample<ImportCustomerRequest>('ImportCustomerRequest');
const inProgress = specExample<Task>('TaskInProgress');
const converted = specExample<Task>('TaskConverted');
const fast = { intervalMs: 1, maxIntervalMs: 2 };

function client(
  answers: Answer[],
  extra: Parameters<typeof createLivePlatformClient>[0] extends infer O ? Partial<O> : never = {},
) {
  const { fetch, sent } = fakeFetch(...answers);
  const lp = createLivePlatformClient({
    baseUrl: BASE,
    token: TOKEN,
    fetch,
    retry: { baseDelayMs: 1 },
    ...extra,
  });
  return { lp, sent };
}

describe('src/client/createClient.ts', () => {
  it("keeps openapi-fetch's { data, error, response } and sends the bearer token to the base URL's path", async () => {
    const { lp, sent } = client([json(converted)]);
    const { data, error, response } = await lp.GET('/api/v2/task/{taskId}', {
      params: { path: { taskId: 'wst 1' } },
    });
    expect(data).toEqual(converted);
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(sent[0]!.url).toBe('https://live.example.com/tenant-a/api/v2/task/wst%201');
    expect(sent[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('calls a token function before every request and strips a "Bearer " the caller wrote', async () => {
    let n = 0;
    const { fetch, sent } = fakeFetch(json(converted));
    const lp = createLivePlatformClient({ baseUrl: BASE, token: async () => `Bearer jwt-${++n}`, fetch });
    await lp.getTask('wst_1');
    await lp.getTask('wst_1');
    expect(sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer jwt-1', 'Bearer jwt-2']);
  });

  it('says what to fix when an option is wrong', () => {
    const make = (o: object) => () =>
      createLivePlatformClient({ baseUrl: BASE, token: TOKEN, ...o } as never);
    expect(make({ baseUrl: 'live.example.com' })).toThrow(
      /absolute http\(s\) URL like https:\/\/live.example.com/,
    );
    expect(make({ baseUrl: 'ftp://x' })).toThrow(/LIVE_PLATFORM_BASE_URL/);
    expect(make({ token: '' })).toThrow(/LIVE_PLATFORM_TOKEN/);
    expect(make({ retry: { maxAttempts: 0 } })).toThrow(/retry.maxAttempts must be a number >= 1/);
    expect(make({ timeoutMs: -1 })).toThrow(/timeoutMs must be a number >= 0/);
    expect(make({ fetch: 'fetch' })).toThrow(/fetch must be a function, not string/);
    expect(make({ retry: { onRetry: {} } })).toThrow(/retry.onRetry must be a function/);
  });

  it('lets middleware added with use() read and change the request, and accepts a real Request back', async () => {
    const { lp, sent } = client([json(converted)]);
    const seen: string[] = [];
    lp.use({
      onRequest({ request }) {
        seen.push(`${request.method} ${request.url}`);
        request.headers.set('x-correlation-id', 'abc');
        return new Request(request.url, { method: request.method, headers: request.headers });
      },
    });
    await lp.getTask('wst_1');
    expect(seen).toEqual(['GET https://live.example.com/tenant-a/api/v2/task/wst_1']);
    expect(sent[0]!.headers.get('x-correlation-id')).toBe('abc');
  });
});

describe('src/client/errors.ts', () => {
  it('unwrap() throws a LivePlatformError with status, operationId, problem and traceId', async () => {
    const { lp } = client([problem(404, { title: 'Not Found', detail: 'No task with id wst_1.' })]);
    const err = await lp
      .GET('/api/v2/task/{taskId}', { params: { path: { taskId: 'wst_1' } } })
      .then(unwrap)
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(LivePlatformError);
    const e = err as LivePlatformError;
    expect(e.status).toBe(404);
    expect(e.operationId).toBe('getTask');
    expect(e.problem).toMatchObject({ title: 'Not Found', detail: 'No task with id wst_1.' });
    expect(e.traceId).toBe('00-trace-404');
    expect(e.message).toContain('getTask failed with 404');
    expect(e.message).toContain('No task with id wst_1.');
  });

  it('logging the error never prints a token the server echoed in its body (problem and text are not enumerable)', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const echoed = problem(401, { title: 'Unauthorized', detail: `refused Bearer ${token}` });
    const { lp } = client([echoed]);
    const e = (await lp.getTask('wst_1').catch((x) => x)) as LivePlatformError;
    expect(e.problem?.detail).toContain(token); // still readable on purpose
    expect(inspect(e)).not.toContain(token.slice(0, 20));
    expect(JSON.stringify(e)).not.toContain(token.slice(0, 20));
    const html = client(
      [new Response(`<p>${token}</p>`, { status: 502, headers: { 'content-type': 'text/html' } })],
      {
        retry: false,
      },
    );
    const e2 = (await html.lp.getTask('wst_1').catch((x) => x)) as LivePlatformError;
    expect(e2.text).toContain(token);
    expect(inspect(e2)).not.toContain(token.slice(0, 20));
  });

  it('keeps the raw text of a body that is not JSON', async () => {
    const html = '<html><body>Bad gateway</body></html>';
    const { lp } = client([new Response(html, { status: 500, headers: { 'content-type': 'text/html' } })]);
    const e = (await lp.getTask('wst_1').catch((x) => x)) as LivePlatformError;
    expect(e.status).toBe(500);
    expect(e.text).toBe(html);
    expect(e.problem).toBeUndefined();
    expect(e.message).toContain('Bad gateway');
    const other = client([json({ message: 'gateway says no' }, 502)], { retry: false });
    const e2 = (await other.lp.getTask('wst_1').catch((x) => x)) as LivePlatformError;
    expect(e2.message).toContain('gateway says no');
  });

  it('never carries the token or the Authorization header', async () => {
    const { lp } = client([
      problem(401, { title: 'Unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' }),
    ]);
    const e = await lp.getTask('wst_1').catch((x) => x);
    expect(isLivePlatformError(e, 401)).toBe(true);
    const dump = JSON.stringify(e, Object.getOwnPropertyNames(e)) + String(e) + (e as Error).stack;
    expect(dump).not.toContain(TOKEN);
    expect(dump.toLowerCase()).not.toContain('authorization');
  });

  it('refuses a token a header cannot carry (line break, NUL, beyond Latin-1) without quoting it, and sends nothing', async () => {
    // Headers.set would throw a TypeError that quotes the whole "Bearer <token>" value.
    const secrets = [
      'line\nbreak-secret',
      'carriage\rreturn-secret',
      'nul\u0000byte-secret',
      'euro\u20acsign-secret',
    ];
    for (const secret of secrets) {
      for (const token of [secret, () => secret, async () => `Bearer ${secret}`]) {
        const { fetch, sent } = fakeFetch(json(converted));
        const e = await Promise.resolve()
          .then(() => createLivePlatformClient({ baseUrl: BASE, token, fetch }).getTask('wst_1'))
          .catch((x: unknown) => x);
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(/token/);
        const dump = JSON.stringify(e, Object.getOwnPropertyNames(e)) + String(e) + (e as Error).stack;
        expect(dump).not.toContain('-secret');
        expect(sent).toHaveLength(0);
      }
    }
  });

  it('narrows on the status with isLivePlatformError(e, status), 400 with its errors map', async () => {
    const { lp } = client([problem(400, { title: 'Bad', errors: { shortName: ['too long'] } })]);
    const e: unknown = await lp
      .POST('/api/v2/customer', {
        body: specExample<CreateEssentialsCustomerRequest>('CreateEssentialsCustomerRequest'),
      })
      .then(unwrap)
      .catch((x: unknown) => x);
    expect(isLivePlatformError(e, 404)).toBe(false);
    if (!isLivePlatformError(e, 400)) throw new Error('expected a 400');
    expect(e.problem?.errors.shortName).toEqual(['too long']);
    expect(e.operationId).toBe('createEssentialsCustomer');
  });
});

describe('src/client/validate.ts: validateResponses', () => {
  it('throws ResponseValidationError that lists the JSON paths of a body that breaks the contract', async () => {
    const { details: _dropped, ...rest } = converted;
    const broken = { ...rest, status: 'Done', executionMessages: [{ level: 'Loud', message: 'x' }] };
    const { lp } = client([json(broken)], { validateResponses: true });
    const e = (await lp.getTask('wst_1').catch((x) => x)) as ResponseValidationError;
    expect(e).toBeInstanceOf(ResponseValidationError);
    expect(e.operationId).toBe('getTask');
    expect(e.status).toBe(200);
    expect(e.paths).toEqual(expect.arrayContaining(['/status', '/executionMessages/0/level', '/details']));
    expect(e.message).toContain('/status');
  });

  it('passes a conforming body, and checks nothing when it is off', async () => {
    const on = client([json(converted)], { validateResponses: true });
    expect(await on.lp.getTask('wst_1')).toEqual(converted);
    const off = client([json({ ...converted, status: 'Done' })]);
    expect((await off.lp.getTask('wst_1')).status).toBe('Done');
  });
});

describe('src/client/task-requests.ts via the client: begin* and tasks.wait', () => {
  it('beginCreateCustomerFromLead returns a poller at once, starts, polls and resolves to the task', async () => {
    const { lp, sent } = client([json({ taskId: 'wst_7' }), json(inProgress), json(converted)]);
    const poller = lp.beginCreateCustomerFromLead(lead, fast);
    expect(poller).not.toBeInstanceOf(Promise);
    const states: string[] = [];
    poller.onProgress((t) => states.push(t.status));
    expect(await poller.taskId).toBe('wst_7');
    const task = await poller;
    expect(outcomeOf(task)).toBe('converted');
    expect(states).toEqual(['InProgress', 'CompletedSuccess']);
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      'POST /tenant-a/api/v3/customer',
      'GET /tenant-a/api/v2/task/wst_7',
      'GET /tenant-a/api/v2/task/wst_7',
    ]);
    expect(JSON.parse(sent[0]!.body!)).toEqual(lead);
  });

  it('beginImportCustomer reads the bare-string task id, and {jobId} works too', async () => {
    const { lp, sent } = client([json('tsk_185510'), json(specExample('TaskImportCompleted'))]);
    const task = await lp.beginImportCustomer('182f496c-0aaa-4023-bdd4-03b9cf8f68b9', importBody, fast);
    expect(task.id).toBe('tsk_185510');
    expect(JSON.parse(sent[0]!.body!)).toEqual({ allowSbcIdUpdateForOvoc: false, ...importBody });
    const jobs = client([json({ jobId: 'wst_9' }), json(converted)]);
    expect(await jobs.lp.beginCreateCustomerFromLead(lead, fast).taskId).toBe('wst_9');
  });

  it('a refused start rejects the wait with the LivePlatformError', async () => {
    const { lp, sent } = client([problem(400, { title: 'Bad', errors: { msTenantId: ['not a uuid'] } })]);
    const poller = lp.beginCreateCustomerFromLead(lead, fast);
    const e = await poller.pollUntilDone().catch((x) => x);
    expect(isLivePlatformError(e, 400) && e.operationId).toBe('createCustomerFromLead');
    expect(sent).toHaveLength(1);
  });

  it('a failed task throws TaskFailedError; throwOnFailure: false returns it', async () => {
    const failedTask = specExample<Task>('TaskFailedShortNameLength');
    const { lp } = client([json({ taskId: failedTask.id }), json(failedTask)]);
    const e = await lp.beginCreateCustomerFromLead(lead, fast).catch((x) => x);
    expect(e).toBeInstanceOf(TaskFailedError);
    expect((e as TaskFailedError).executionMessages[0]!.message).toContain('between 3 and 15');
    const again = client([json(failedTask)]);
    expect((await again.lp.tasks.wait(failedTask.id, { ...fast, throwOnFailure: false })).status).toBe(
      'CompletedFailed',
    );
  });

  it('serialize() and resumeTask() let another process keep waiting', async () => {
    const first = client([json({ taskId: 'wst_5' }), json(inProgress)]);
    const poller = first.lp.beginCreateCustomerFromLead(lead, fast);
    await poller.taskId;
    const saved = poller.serialize();
    const second = client([json(converted)]);
    const task = await resumeTask(second.lp, saved, fast);
    expect(task).toEqual(converted);
    expect(new URL(second.sent[0]!.url).pathname).toBe('/tenant-a/api/v2/task/wst_5');
    expect(() => resumeTask(second.lp, 'wst_5')).toThrow(/poller.serialize\(\)/);
  });

  it('a Get Task 429 with a Retry-After paces the poller (one request per poll) instead of failing it', async () => {
    const { lp, sent } = client([problem(429, {}, { 'retry-after': '1' }), json(converted)]);
    expect(await lp.tasks.wait('wst_1', fast)).toEqual(converted);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(950);
  });
});
