// The client against small hostile servers (issue 10): every outcome it reports is true, every wait
// and read is bounded, and nothing leaves the configured origin.
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import {
  LivePlatformError,
  MAX_REDIRECTS,
  RedirectError,
  ResponseTooLargeError,
  createLivePlatformClient,
} from '../../src/client/index.js';
import {
  TaskFailedError,
  TaskTimeoutError,
  UnexpectedResponseError,
  outcomeOf,
} from '../../src/tasks/index.js';
import type { Task } from '../../src/types.js';
import { hostile, send, type HostileServer } from './hostile-server.js';

const TOKEN = 'hostile-test-token-0123456789';
const converted = specExample<Task>('TaskConverted');
const inProgress = specExample<Task>('TaskInProgress');
const lead = specExample<
  Parameters<ReturnType<typeof createLivePlatformClient>['beginCreateCustomerFromLead']>[0]
>('CreateCustomerFromLeadRequest');

const servers: HostileServer[] = [];
let warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Parameters<typeof hostile>[0]) {
  const s = await hostile(handler);
  servers.push(s);
  return s;
}

const lpFor = (s: HostileServer, extra: Partial<Parameters<typeof createLivePlatformClient>[0]> = {}) =>
  createLivePlatformClient({ baseUrl: s.url, token: TOKEN, retry: { baseDelayMs: 1 }, ...extra });

const overflowWarnings = () => warnings.filter((w) => w.name === 'TimeoutOverflowWarning');

describe('false outcomes: only the two completed statuses end a wait', () => {
  it.each([
    ['{}', 'application/json', '{}', '{}'],
    ['[]', 'application/json', '[]', '[]'],
    ['"x"', 'application/json', '"x"', 'x'],
    ['null', 'application/json', 'null', 'null'],
    ['an HTML page', 'text/html', '<html><body>Down</body></html>', '<html><body>Down</body></html>'],
    [
      'a status without an id',
      'application/json',
      '{"status":"CompletedSuccess"}',
      '{"status":"CompletedSuccess"}',
    ],
    ['an empty body', 'application/json', '', ''],
  ])(
    'a Get Task answer of %s rejects with UnexpectedResponseError quoting it',
    async (_, type, body, quoted) => {
      const s = await server((_req, res) => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      });
      const e = await lpFor(s)
        .tasks.wait('wst_1', { intervalMs: 10, timeoutMs: 10_000 })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnexpectedResponseError);
      const err = e as UnexpectedResponseError;
      expect(err.excerpt).toBe(quoted);
      expect(err.message).toContain(quoted === '' ? '(empty body)' : quoted);
      expect(err.message).not.toContain(TOKEN);
      expect(s.received).toHaveLength(1); // at once, not after the deadline
    },
  );

  it('quotes a bounded excerpt of a long body, without its control characters', async () => {
    const s = await server((_req, res) => send(res, 200, `<html>\n${'x'.repeat(100_000)}</html>`));
    const e = (await lpFor(s)
      .tasks.wait('wst_1')
      .catch((x: unknown) => x)) as UnexpectedResponseError;
    expect(e).toBeInstanceOf(UnexpectedResponseError);
    expect(e.excerpt.length).toBeLessThanOrEqual(201);
    expect(e.message).not.toMatch(/\n/);
  });

  it('keeps waiting through an unknown status ("Queued"), which reaches onProgress, until a completed one', async () => {
    const queued = { ...inProgress, status: 'Queued' } as unknown as Task;
    const states = [queued, { ...inProgress, status: 'In Progress' }, converted];
    const s = await server((_req, res) => send(res, 200, states[Math.min(s.received.length - 1, 2)]));
    const seen: string[] = [];
    const task = await lpFor(s).tasks.wait('wst_1', {
      intervalMs: 5,
      onProgress: (t) => seen.push(t.status),
    });
    expect(task).toEqual(converted);
    expect(seen).toEqual(['Queued', 'In Progress', 'CompletedSuccess']);
    expect(outcomeOf(queued)).toBe('in-progress');
  });

  it('a CompletedFailed task without details or a log still throws TaskFailedError', async () => {
    const s = await server((_req, res) => send(res, 200, { id: 'wst_1', status: 'CompletedFailed' }));
    const e = (await lpFor(s)
      .tasks.wait('wst_1')
      .catch((x: unknown) => x)) as TaskFailedError;
    expect(e).toBeInstanceOf(TaskFailedError);
    expect(e.outcome).toBe('failed');
    expect(e.details).toEqual([]);
    expect(e.executionMessages).toEqual([]);
  });
});

describe('poll storms: no answer makes the poller ask faster than intervalMs', () => {
  const past = new Date(Date.now() - 3_600_000).toUTCString();
  it.each([
    [503, '0'],
    [429, '0'],
    [503, '-1'],
    [429, '-5'],
    [503, '1 2'],
    [429, '0.001'],
    [503, past],
  ])('%i with Retry-After %j: at most deadline / intervalMs + 2 requests', async (status, retryAfter) => {
    const s = await server((_req, res) =>
      send(res, status, { title: 'busy', status }, { 'retry-after': retryAfter }),
    );
    const timeoutMs = 600;
    const intervalMs = 50;
    const e = await lpFor(s)
      .tasks.wait('wst_1', { intervalMs, maxIntervalMs: intervalMs, timeoutMs })
      .catch((x: unknown) => x);
    // Paced to the deadline, or (a Retry-After RFC 9110 does not allow is ignored) the transport's
    // few jittered retries and then the error.
    expect(e instanceof TaskTimeoutError || e instanceof LivePlatformError).toBe(true);
    expect(s.received.length).toBeLessThanOrEqual(timeoutMs / intervalMs + 2);
    for (let i = 1; i < s.received.length; i++) {
      if (e instanceof TaskTimeoutError) {
        expect(s.received[i]!.at - s.received[i - 1]!.at).toBeGreaterThanOrEqual(intervalMs - 5);
      }
    }
  });
});

describe('timer overflow: every wait is clamped to its deadline and to what setTimeout holds', () => {
  it.each([
    ['3000000', 'delta-seconds far beyond 2^31-1 ms'],
    ['Fri, 31 Dec 9999 23:59:59 GMT', 'a year-9999 date'],
  ])('Retry-After %j (%s) ends at the deadline, after one request, with no warning', async (retryAfter) => {
    const s = await server((_req, res) => send(res, 503, { title: 'busy' }, { 'retry-after': retryAfter }));
    const t0 = Date.now();
    const e = await lpFor(s)
      .tasks.wait('wst_1', { intervalMs: 10, timeoutMs: 300 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TaskTimeoutError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(s.received).toHaveLength(1);
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    expect(overflowWarnings()).toEqual([]);
  });

  it('refuses a per-attempt timeoutMs that setTimeout cannot hold, naming the limit', () => {
    expect(() =>
      createLivePlatformClient({ baseUrl: 'http://127.0.0.1:9', token: 't', timeoutMs: 2 ** 31 }),
    ).toThrow(/timeoutMs must be .*<= 2147483647/);
  });
});

describe('redirects: nothing goes to another origin', () => {
  async function pair(status: number) {
    const other = await server((_req, res) => send(res, 200, converted));
    const origin = await server((req, res) => {
      res.writeHead(status, { location: `${other.url}${req.path}` });
      res.end();
    });
    return { other, origin };
  }

  it.each([301, 302, 303, 307, 308])(
    'a %i to another origin on a GET is a RedirectError naming the Location',
    async (status) => {
      const { other, origin } = await pair(status);
      const lp = lpFor(origin, { headers: { 'x-correlation-id': 'must-stay-home' } });
      const e = (await lp.getTask('wst_1').catch((x: unknown) => x)) as RedirectError;
      expect(e).toBeInstanceOf(RedirectError);
      expect(e.reason).toBe('cross-origin');
      expect(e.location).toBe(`${other.url}/api/v2/task/wst_1`);
      expect(e.message).toContain(other.url);
      expect(e.message).not.toContain(TOKEN);
      expect(other.received).toHaveLength(0);
      expect(origin.received).toHaveLength(1); // a refused redirect is an answer: not retried
    },
  );

  it('a 307 on a POST does not take the body (or the token) to another origin', async () => {
    const { other, origin } = await pair(307);
    const e = await lpFor(origin)
      .beginCreateCustomerFromLead(lead)
      .taskId.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RedirectError);
    expect(other.received).toHaveLength(0);
  });

  it('the same with an injected fetch: it is called with redirect: "manual"', async () => {
    const { other, origin } = await pair(302);
    const modes: (RequestRedirect | undefined)[] = [];
    const lp = lpFor(origin, {
      fetch: (input, init) => {
        modes.push(init?.redirect);
        return globalThis.fetch(input, init);
      },
    });
    await expect(lp.getTask('wst_1')).rejects.toBeInstanceOf(RedirectError);
    expect(modes).toEqual(['manual']);
    expect(other.received).toHaveLength(0);
  });

  it('follows a same-origin 307 with the method, body and token; a 303 becomes a GET without a body', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/v3/customer') {
        res.writeHead(307, { location: '/api/v3/customer?moved=1' });
        res.end();
      } else if (req.path === '/api/v3/customer?moved=1') {
        res.writeHead(303, { location: `${s.url}/started` });
        res.end();
      } else if (req.path === '/started') send(res, 200, { taskId: 'wst_9' });
      else send(res, 200, converted);
    });
    const poller = lpFor(s).beginCreateCustomerFromLead(lead, { intervalMs: 1 });
    expect(await poller.taskId).toBe('wst_9');
    expect(await poller).toEqual(converted);
    const [first, second, third] = s.received;
    expect(second!.method).toBe('POST');
    expect(second!.body).toBe(first!.body);
    expect(second!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(third!.method).toBe('GET');
    expect(third!.body).toBe('');
    expect(third!.headers['content-type']).toBeUndefined();
  });

  it('a redirect without a readable Location is a RedirectError, not followed', async () => {
    const s = await server((_req, res) => {
      res.writeHead(302, { location: 'http://[::1' });
      res.end();
    });
    const e = (await lpFor(s)
      .getTask('wst_1')
      .catch((x: unknown) => x)) as RedirectError;
    expect(e).toBeInstanceOf(RedirectError);
    expect(e.reason).toBe('unreadable');
    expect(s.received).toHaveLength(1);
  });

  it('names a Location without the user:password it may carry', async () => {
    const other = await server((_req, res) => send(res, 200, converted));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `http://user:pa55word@127.0.0.2:${new URL(other.url).port}/x` });
      res.end();
    });
    const e = (await lpFor(s)
      .getTask('wst_1')
      .catch((x: unknown) => x)) as RedirectError;
    expect(e.location).toBe(`http://127.0.0.2:${new URL(other.url).port}/x`);
    expect(e.message).not.toContain('pa55word');
  });

  it(`stops after ${MAX_REDIRECTS} same-origin hops`, async () => {
    const s = await server((req, res) => {
      res.writeHead(302, { location: `${req.path.split('?')[0]}?n=${s.received.length}` });
      res.end();
    });
    const e = (await lpFor(s)
      .getTask('wst_1')
      .catch((x: unknown) => x)) as RedirectError;
    expect(e).toBeInstanceOf(RedirectError);
    expect(e.reason).toBe('too-many');
    expect(s.received).toHaveLength(MAX_REDIRECTS + 1);
  });
});

describe('size bound: maxResponseBytes counts decoded bytes', () => {
  /** A gzip stream of `total` zero bytes, made as it is read: nothing large is ever held. */
  function zeros(total: number) {
    const chunk = Buffer.alloc(1 << 20);
    let left = total;
    return Readable.from(
      (function* () {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          yield n === chunk.length ? chunk : chunk.subarray(0, n);
        }
      })(),
    ).pipe(createGzip({ level: 1 }));
  }

  it('a gzip bomb ends in ResponseTooLargeError, and the download stops', async () => {
    let closed = false;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.on('close', () => (closed = true));
      zeros(256 * 2 ** 20).pipe(res);
    });
    const e = (await lpFor(s, { maxResponseBytes: 2 ** 20 })
      .getTask('wst_1')
      .catch((x: unknown) => x)) as ResponseTooLargeError | undefined;
    expect(e).toBeInstanceOf(ResponseTooLargeError);
    expect(e!.maxResponseBytes).toBe(2 ** 20);
    expect(e!.operationId).toBe('getTask');
    await expect.poll(() => closed, { timeout: 10_000 }).toBe(true);
  });

  it('a declared Content-Length beyond the bound is refused before reading; chunked bodies are counted', async () => {
    const big = JSON.stringify({ ...converted, pad: 'x'.repeat(5_000) });
    const declared = await server((_req, res) => send(res, 200, big));
    await expect(lpFor(declared, { maxResponseBytes: 1_000 }).getTask('wst_1')).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    const chunked = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(big.slice(0, 2_000));
      res.end(big.slice(2_000));
    });
    await expect(lpFor(chunked, { maxResponseBytes: 1_000 }).getTask('wst_1')).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    // An error answer is bounded too.
    const problem = await server((_req, res) => send(res, 400, big));
    await expect(lpFor(problem, { maxResponseBytes: 1_000 }).getTask('wst_1')).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    // Within the bound, as before.
    expect(await lpFor(chunked).getTask('wst_1')).toMatchObject({ id: converted.id });
  });
});

describe('Accept and text/plain task ids', () => {
  const guid = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
  async function importServer(type: string, body: string) {
    return server((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      } else send(res, 200, { ...converted, id: req.path.split('/').pop() });
    });
  }

  it.each([
    ['text/plain; charset=utf-8', 'tsk_185510'],
    ['text/plain', 'tsk_185510\n'],
    ['application/json; charset=utf-8', '"tsk_185510"'],
    ['application/json', '{"jobId":"tsk_185510"}'],
    ['text/plain', '{"taskId":"tsk_185510"}'],
  ])('reads the import task id from %s %j, with or without validation', async (type, body) => {
    // The contract's import answer is a string (issue 12a opens it to {jobId}); validation checks that.
    for (const validateResponses of body.startsWith('{') ? [false] : [false, true]) {
      const s = await importServer(type, body);
      const poller = lpFor(s, { validateResponses }).beginImportCustomer(
        guid,
        { customerType: 'TENANT_TYPE' },
        {
          intervalMs: 1,
        },
      );
      expect(await poller.taskId).toBe('tsk_185510');
      await poller;
      expect(s.received[1]!.path).toBe('/api/v2/task/tsk_185510');
    }
  });

  it('sends Accept: application/json (and problem+json) on every request', async () => {
    const s = await importServer('text/plain', 'tsk_185510');
    await lpFor(s).beginImportCustomer(guid, { customerType: 'TENANT_TYPE' }, { intervalMs: 1 });
    expect(s.received.map((r) => r.headers.accept)).toEqual([
      'application/json, application/problem+json',
      'application/json, application/problem+json',
    ]);
  });

  it('refuses a text/plain page as a task id, quoting it', async () => {
    const s = await importServer('text/plain', 'Service temporarily unavailable, try later');
    const e = await lpFor(s)
      .beginImportCustomer(guid, { customerType: 'TENANT_TYPE' })
      .taskId.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnexpectedResponseError);
    expect((e as Error).message).toContain('Service temporarily unavailable');
  });

  it('still sends a POST answered 5xx once', async () => {
    const s = await server((_req, res) => send(res, 503, { title: 'down' }));
    await expect(lpFor(s).beginCreateCustomerFromLead(lead).taskId).rejects.toBeInstanceOf(LivePlatformError);
    expect(s.received).toHaveLength(1);
  });
});

describe('quoted bodies never carry a credential', () => {
  const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.${'s'.repeat(40)}`;
  it('blanks an echoed Authorization header and JWTs in UnexpectedResponseError and LivePlatformError', async () => {
    const echo = await server((req, res) =>
      send(
        res,
        req.path.includes('fail') ? 502 : 200,
        `echo: authorization: ${req.headers.authorization} id ${jwt}`,
        {
          'content-type': 'text/plain',
        },
      ),
    );
    const lp = lpFor(echo, { retry: false });
    const problemEcho = await server((req, res) =>
      send(res, 401, { title: 'Unauthorized', detail: `got ${req.headers.authorization}`.repeat(1_000) }),
    );
    const p = (await lpFor(problemEcho)
      .getTask('wst_1')
      .catch((x: unknown) => x)) as LivePlatformError;
    expect(p.message).not.toContain(TOKEN.slice(0, 8));
    expect(p.message.length).toBeLessThan(600);
    const shapes = await lp.getTask('wst_1').catch((x: unknown) => x);
    expect(shapes).toBeInstanceOf(UnexpectedResponseError);
    const status = await lp.getTask('fail').catch((x: unknown) => x);
    expect(status).toBeInstanceOf(LivePlatformError);
    for (const e of [shapes, status] as Error[]) {
      expect(e.message).toContain('Bearer [redacted]');
      expect(e.message).not.toContain(TOKEN.slice(0, 8));
      expect(e.message).not.toContain(jwt.slice(0, 12));
    }
  });

  it('blanks them in the words of a failed task that TaskFailedError quotes, and flattens its line breaks', async () => {
    const echo = await server((req, res) =>
      send(res, 200, {
        id: 'wst_1',
        status: 'CompletedFailed',
        details: [`Failed\nauthorization: ${req.headers.authorization}`],
        executionMessages: [
          { level: 'Error', message: `refused ${req.headers.authorization}\r\nforged log line ${jwt}` },
        ],
      }),
    );
    const e = (await lpFor(echo)
      .tasks.wait('wst_1')
      .catch((x: unknown) => x)) as TaskFailedError;
    expect(e).toBeInstanceOf(TaskFailedError);
    expect(e.message).toContain('Bearer [redacted]');
    expect(e.message).not.toContain(TOKEN.slice(0, 8));
    expect(e.message).not.toContain(jwt.slice(0, 12));
    expect(e.message).not.toMatch(/[\r\n]/);
    // The task itself is kept as the server sent it.
    expect(e.executionMessages[0]!.message).toContain(jwt);
  });
});
