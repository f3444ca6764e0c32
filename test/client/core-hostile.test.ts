// Hostile servers against the rules the client now takes from src/internal/ (issue 18): a token
// echoed in any encoding, a secret echoed URL-encoded, ids that would leave their path segment, a
// base URL that carries what a request cannot keep, a long-lived signal, nothing listening.
import { getEventListeners } from 'node:events';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect } from 'vitest';
import { test as it } from '../support/fixtures.js';
import {
  ConnectionFailedError,
  LivePlatformError,
  PathParameterError,
  TaskFailedError,
  TokenRequestError,
  UnexpectedResponseError,
  clientCredentials,
  createLivePlatformClient,
} from '../../src/index.js';
import { send } from './hostile-server.js';

// Header-safe, and needing escaping in JSON, XML and URLs, with base64 that has + and /.
const TOKEN = 'Sk7"Vq2<Lm9&Xw4/Rt8+Np3=Zc\\ü~~~';

/** Every encoding of a secret a server might echo, and 8-character pieces of each. */
function encodings(secret: string): string[] {
  const b64 = Buffer.from(secret, 'latin1').toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'),
    Buffer.from(secret).toString('base64'),
    b64,
    Buffer.from(secret).toString('base64url'),
    new URLSearchParams({ secret }).toString().slice(7),
  ];
}
const pieces = (forms: string[]) =>
  forms.flatMap((f) => Array.from({ length: Math.max(0, f.length - 7) }, (_, i) => f.slice(i, i + 8)));

function echoes(secret: string): string {
  return [
    `as written ${secret}`,
    `url ${encodeURIComponent(secret)}`,
    `json ${JSON.stringify(secret)}`,
    `xml ${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}`,
    `base64 ${Buffer.from(secret).toString('base64')}`,
    `form ${new URLSearchParams({ secret }).toString().slice(7)}`,
    `basic Basic ${Buffer.from(`user:${secret}`).toString('base64')} end`,
    'and a missing bearer token is ordinary words',
  ].join(' | ');
}

describe('the client quotes no token, in any encoding', () => {
  it('blanks an echoed token in LivePlatformError, UnexpectedResponseError and TaskFailedError, messages and logs', async ({
    hostileServer,
  }) => {
    const s = await hostileServer((req, res) => {
      const echoed = echoes(TOKEN);
      if (req.path.endsWith('/fail')) return send(res, 502, echoed, { 'content-type': 'text/plain' });
      if (req.path.endsWith('/problem'))
        return send(res, 409, { title: 'Conflict', detail: echoed, traceId: TOKEN });
      if (req.path.endsWith('/page')) return send(res, 200, echoed, { 'content-type': 'text/plain' });
      return send(res, 200, {
        id: 'wst_1',
        status: 'CompletedFailed',
        details: ['Failed'],
        executionMessages: [{ level: 'Error', message: echoed }],
      });
    });
    const lp = createLivePlatformClient({ baseUrl: s.url, token: TOKEN, retry: false });
    const errors = [
      await lp.getTask('fail').catch((e: unknown) => e),
      await lp.getTask('problem').catch((e: unknown) => e),
      await lp.getTask('page').catch((e: unknown) => e),
      await lp.tasks.wait('wst_1', { intervalMs: 1 }).catch((e: unknown) => e),
    ];
    expect(errors.map((e) => (e as Error).constructor)).toEqual([
      LivePlatformError,
      LivePlatformError,
      UnexpectedResponseError,
      TaskFailedError,
    ]);
    // The server did get the token: the echo was real.
    expect(s.received[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    for (const e of errors as Error[]) {
      const logged = `${inspect(e)} ${JSON.stringify(e)} ${String(e)}`;
      for (const piece of pieces(encodings(TOKEN))) expect(logged, piece).not.toContain(piece);
      expect(e.message).toContain('[redacted]');
      // Inside `Basic base64(user:token)` only the groups that mix in `user:` or the end remain.
      const basic = /Basic (\S*) end/.exec(e.message)?.[1];
      if (basic !== undefined) expect(basic.replace('[redacted]', '').length).toBeLessThanOrEqual(16);
    }
    // Ordinary words stay: the redactor blanks the token's forms, not "bearer token".
    expect((errors[0] as Error).message).toContain('a missing bearer token is ordinary');
  });

  it('blanks the token a token function gave, as the server echoed it', async ({ hostileServer }) => {
    const s = await hostileServer((req, res) =>
      send(res, 502, `got ${encodeURIComponent(req.headers.authorization ?? '')}`, {
        'content-type': 'text/plain',
      }),
    );
    const lp = createLivePlatformClient({ baseUrl: s.url, token: async () => TOKEN, retry: false });
    const e = (await lp.getTask('x').catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(LivePlatformError);
    for (const piece of pieces(encodings(TOKEN))) expect(inspect(e), piece).not.toContain(piece);
  });

  it('clientCredentials blanks a secret the token endpoint echoes URL-encoded (or any other way)', async ({
    hostileServer,
  }) => {
    const secret = 'cs~8Q+/a b=c&d"e';
    const s = await hostileServer((req, res) =>
      send(res, 401, {
        error: 'invalid_client',
        error_description: `${echoes(secret)} | the form was ${req.body}`,
      }),
    );
    const token = clientCredentials({
      tokenUrl: `${s.url}/token`,
      clientId: 'app',
      clientSecret: secret,
      scope: 'api://x/.default',
    });
    const e = (await Promise.resolve(token()).catch((x: unknown) => x)) as TokenRequestError;
    expect(e).toBeInstanceOf(TokenRequestError);
    expect(s.received[0]!.body).toContain(
      `client_secret=${new URLSearchParams({ secret }).toString().slice(7)}`,
    );
    for (const piece of pieces(encodings(secret))) expect(inspect(e), piece).not.toContain(piece);
  });
});

describe('base URLs and path parameters', () => {
  it('createLivePlatformClient refuses a base URL with a password, a query or a fragment, quoting none', () => {
    for (const baseUrl of [
      'https://admin:Pa55-w0rd-xyz@live.example.com',
      'https://live.example.com/?key=Pa55-w0rd-xyz',
      'https://live.example.com/#Pa55-w0rd-xyz',
    ]) {
      let error: unknown;
      try {
        createLivePlatformClient({ baseUrl, token: 't' });
      } catch (e) {
        error = e;
      }
      expect(error, baseUrl).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^createLivePlatformClient: baseUrl must not (carry|have)/);
      expect((error as Error).message).not.toContain('Pa55');
    }
  });

  it("getTask('.'), getTask('..') and a lone surrogate are refused, naming the operation and the parameter; nothing is sent", async ({
    hostileServer,
  }) => {
    const s = await hostileServer((_req, res) => send(res, 200, { id: 'x', status: 'InProgress' }));
    const lp = createLivePlatformClient({ baseUrl: s.url, token: 't' });
    for (const id of ['.', '..', '', 'tsk_\uD800']) {
      const e = (await lp.getTask(id).catch((x: unknown) => x)) as Error;
      expect(e, JSON.stringify(id)).toBeInstanceOf(PathParameterError);
      expect(e.message).toMatch(/^getTask: path parameter taskId /);
      expect(e.name).toBe('PathParameterError');
    }
    const viaPut = await lp
      .PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: '..' as never } } })
      .catch((x: unknown) => x);
    expect((viaPut as Error).message).toMatch(/^verifyLcCustomer: path parameter id /);
    expect(s.received).toHaveLength(0);
  });

  it('a server that answers ".." as a task id gets an UnexpectedResponseError, not a poll of another path', async ({
    hostileServer,
  }) => {
    const s = await hostileServer((_req, res) => send(res, 202, { taskId: '..' }));
    const lp = createLivePlatformClient({ baseUrl: s.url, token: 't' });
    const e = await lp
      .beginCreateCustomerFromLead({ msTenantId: 'x' } as never, { intervalMs: 1 })
      .pollUntilDone()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnexpectedResponseError);
    expect(s.received).toHaveLength(1);
  });
});

describe('signals and connections', () => {
  it('20,000 calls sharing one AbortSignal leave no listener on it and no warning', async ({
    hostileServer,
  }) => {
    const s = await hostileServer((_req, res) => send(res, 200, { id: 'wst_1', status: 'InProgress' }));
    const lp = createLivePlatformClient({ baseUrl: s.url, token: 't' });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const shared = new AbortController();
      const calls = 20_000;
      let done = 0;
      // 16 at a time: concurrency is where listeners pile up fastest.
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (done < calls) {
            done++;
            await lp.getTask('wst_1', { signal: shared.signal });
          }
        }),
      );
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
      // Emitted on the next tick, if at all.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  }, 120_000);

  it('an abort of the shared signal still stops a call in flight', async ({ hostileServer }) => {
    const s = await hostileServer(() => {
      // never answers
    });
    const lp = createLivePlatformClient({ baseUrl: s.url, token: 't' });
    const ac = new AbortController();
    const pending = lp.getTask('wst_1', { signal: ac.signal }).catch((x: unknown) => x);
    await new Promise<void>((resolve) => {
      const wait = () => (s.received.length ? resolve() : setImmediate(wait));
      wait();
    });
    ac.abort(new Error('stop'));
    expect(((await pending) as Error).message).toBe('stop');
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('a refused connection names the operation, method and host:port, with the original as cause', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const lp = createLivePlatformClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't', retry: false });
    const e = (await lp.getTask('wst_1').catch((x: unknown) => x)) as ConnectionFailedError;
    expect(e).toBeInstanceOf(ConnectionFailedError);
    expect(e.message).toBe(
      `getTask (GET to 127.0.0.1:${port}) got no answer: connection refused (ECONNREFUSED): nothing listens there. ` +
        'Check that the server is running and the host and port are right.',
    );
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.cause).toBeInstanceOf(TypeError);
    expect((e.cause as Error).message).toBe('fetch failed');
  });

  it('a refused TLS certificate is named as such and not retried, even for a GET', async () => {
    let calls = 0;
    // What undici throws when the handshake refuses the certificate.
    const fetch = async () => {
      calls++;
      const cause = Object.assign(new Error('self-signed certificate'), {
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      throw new TypeError('fetch failed', { cause });
    };
    const lp = createLivePlatformClient({
      baseUrl: 'https://live.example.com',
      token: 't',
      fetch,
      retry: { baseDelayMs: 1, maxAttempts: 4 },
    });
    const e = (await lp.getTask('wst_1').catch((x: unknown) => x)) as ConnectionFailedError;
    expect(e).toBeInstanceOf(ConnectionFailedError);
    expect(e.certificate).toBe(true);
    expect(e.message).toMatch(
      /^getTask \(GET to live\.example\.com:443\) got no answer: TLS certificate error \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    expect(calls).toBe(1);
  });
});
