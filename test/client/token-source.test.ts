// clientCredentials(): caching, one request in flight, forced refresh, and every bound against
// hostile token endpoints (small node:http servers of our own, one per misbehaviour).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientCredentials, TokenRequestError } from '../../src/index.js';
import { MAX_TOKEN_RESPONSE_BYTES } from '../../src/client/token-source.js';
import { fakeFetch, json } from './fake-fetch.js';
import { hostile, type HostileServer } from './hostile-server.js';

const SECRET = 'very-secret-value-0123';
const URL_ = 'https://login.example.com/tenant/oauth2/v2.0/token';
const base = { tokenUrl: URL_, clientId: 'app-1', clientSecret: SECRET, scope: 'api://app/.default' };
const tokenAnswer = (access_token: string, expires_in: unknown = 3599) =>
  json({ token_type: 'Bearer', expires_in, ext_expires_in: expires_in, access_token });

async function failure(p: Promise<unknown> | unknown): Promise<TokenRequestError> {
  const e = await Promise.resolve(p).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TokenRequestError);
  const message = (e as Error).message;
  expect(message).not.toContain(SECRET);
  return e as TokenRequestError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('clientCredentials(): the grant and the cache', () => {
  it('posts the client-credentials form and returns the access token', async () => {
    const { fetch, sent } = fakeFetch(tokenAnswer('tok-1'));
    const token = clientCredentials({ ...base, fetch });
    expect(await token()).toBe('tok-1');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('POST');
    expect(sent[0]!.url).toBe(URL_);
    expect(sent[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_secret: SECRET,
      scope: 'api://app/.default',
    });
  });

  it('caches until shortly before expiry (five minutes, at most half the lifetime), then refreshes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    let n = 0;
    const { fetch, sent } = fakeFetch(() => tokenAnswer(`tok-${++n}`, 3600));
    const token = clientCredentials({ ...base, fetch });
    expect(await token()).toBe('tok-1');
    vi.setSystemTime(3_600_000 - 300_001);
    expect(await token()).toBe('tok-1');
    vi.setSystemTime(3_600_000 - 299_999);
    expect(await token()).toBe('tok-2');
    expect(sent).toHaveLength(2);

    // A 10 s token is reused for 5 s, not refreshed on every call.
    const short = fakeFetch(() => tokenAnswer(`s-${++n}`, 10));
    const shortToken = clientCredentials({ ...base, fetch: short.fetch });
    vi.setSystemTime(0);
    const first = await shortToken();
    vi.setSystemTime(4_999);
    expect(await shortToken()).toBe(first);
    vi.setSystemTime(5_000);
    expect(await shortToken()).not.toBe(first);
  });

  it('runs one request for concurrent callers, and forceRefresh gets a new token at once', async () => {
    let n = 0;
    // The endpoint answers when the test says: all four callers ask while the first request is open.
    let answer!: () => void;
    const { fetch, sent } = fakeFetch(async () => {
      if (n === 0) await new Promise<void>((r) => (answer = r));
      return tokenAnswer(`tok-${++n}`);
    });
    const token = clientCredentials({ ...base, fetch });
    const callers = Promise.all([token(), token(), token(), token()]);
    await vi.waitUntil(() => sent.length === 1);
    answer();
    const all = await callers;
    expect(all).toEqual(['tok-1', 'tok-1', 'tok-1', 'tok-1']);
    expect(sent).toHaveLength(1);
    expect(await token({ forceRefresh: true })).toBe('tok-2');
    expect(await token()).toBe('tok-2');
    expect(sent).toHaveLength(2);
  });

  it('reads expires_in as a number or a string; without it, caches five minutes at most', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    let n = 0;
    const { fetch, sent } = fakeFetch(() => json({ token_type: 'bearer', access_token: `t-${++n}` }));
    const token = clientCredentials({ ...base, fetch });
    await token();
    vi.setSystemTime(149_999);
    await token();
    expect(sent).toHaveLength(1);
    vi.setSystemTime(150_000);
    await token();
    expect(sent).toHaveLength(2);
    const str = fakeFetch(tokenAnswer('s', '3599'));
    const t2 = clientCredentials({ ...base, fetch: str.fetch });
    await t2();
    vi.setSystemTime(1_000_000);
    await t2();
    expect(str.sent).toHaveLength(1);
  });

  it('keeps using a still-valid token when a background refresh fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const { fetch } = fakeFetch(tokenAnswer('tok-1', 3600), json({ error: 'temporarily_unavailable' }, 503));
    const token = clientCredentials({ ...base, fetch });
    await token();
    vi.setSystemTime(3_400_000);
    expect(await token()).toBe('tok-1');
    vi.setSystemTime(3_600_000);
    await failure(token());
    await failure(token({ forceRefresh: true }));
  });
});

describe('clientCredentials(): errors say what to fix, never the secret', () => {
  it('reports the OAuth error code, the description (secret scrubbed) and a hint', async () => {
    const { fetch } = fakeFetch(
      json(
        {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided: ${SECRET}\r\nInjected: line`,
        },
        401,
      ),
    );
    const e = await failure(clientCredentials({ ...base, fetch })());
    expect(e.status).toBe(401);
    expect(e.error).toBe('invalid_client');
    expect(e.message).toContain('https://login.example.com/tenant/oauth2/v2.0/token');
    expect(e.message).toContain('AADSTS7000215');
    expect(e.message).toContain('[redacted]');
    expect(e.message).not.toMatch(/[\r\n]/);
    expect(e.message).toContain('check clientId and clientSecret');

    const scope = await failure(
      clientCredentials({ ...base, fetch: fakeFetch(json({ error: 'invalid_scope' }, 400)).fetch })(),
    );
    expect(scope.message).toContain('/.default');
  });

  it('refuses answers that are not a bearer token', async () => {
    for (const body of [
      { token_type: 'Bearer', expires_in: 10 },
      { token_type: 'Bearer', access_token: 'has space' },
      { token_type: 'mac', access_token: 'x' },
      ['not', 'an', 'object'],
    ]) {
      await failure(clientCredentials({ ...base, fetch: fakeFetch(json(body)).fetch })());
    }
    await failure(
      clientCredentials({ ...base, fetch: fakeFetch(new Response('<html>', { status: 200 })).fetch })(),
    );
  });

  it('refuses setup mistakes with a TypeError that never quotes the secret', () => {
    expect(() => clientCredentials({ ...base, tokenUrl: 'http://login.example.com/token' })).toThrow(/https/);
    expect(() => clientCredentials({ ...base, tokenUrl: 'not a url' })).toThrow(TypeError);
    expect(() => clientCredentials({ ...base, scope: '' })).toThrow(/scope/);
    expect(() => clientCredentials({ ...base, clientSecret: '' })).toThrow(/clientSecret/);
    expect(() => clientCredentials({ ...base, timeoutMs: -1 })).toThrow(/timeoutMs/);
    // Loopback may be plain http (the sandbox).
    expect(() =>
      clientCredentials({ ...base, tokenUrl: 'http://127.0.0.1:4020/_sandbox/token' }),
    ).not.toThrow();
    expect(() =>
      clientCredentials({ ...base, tokenUrl: 'http://localhost:4020/_sandbox/token' }),
    ).not.toThrow();
  });
});

describe('clientCredentials(): bounds against hostile endpoints', () => {
  let endpoint: HostileServer;
  let url: string;
  const routes: Record<string, (res: ServerResponse) => void> = {
    // Headers, then silence.
    '/stall-headers': () => {},
    '/stall-body': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"token_type":"Bearer",');
    },
    '/huge': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"access_token":"${'a'.repeat(MAX_TOKEN_RESPONSE_BYTES + 10)}","token_type":"Bearer"}`);
    },
    '/redirect': (res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    },
    '/elsewhere': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token_type: 'Bearer', access_token: 'stolen', expires_in: 60 }));
    },
  };

  beforeAll(async () => {
    endpoint = await hostile((req, res) => routes[req.path]?.(res));
    url = endpoint.url;
  });
  afterAll(() => endpoint.close());

  it('gives up on an endpoint that never answers, or stalls mid-body, within timeoutMs', async () => {
    // The endpoints never finish an answer: only the 300 ms timeout can end the read, and says so.
    for (const path of ['/stall-headers', '/stall-body']) {
      const e = await failure(clientCredentials({ ...base, tokenUrl: `${url}${path}`, timeoutMs: 300 })());
      expect(e.message).toMatch(/within 300 ms/);
    }
  });

  it('also ends the read when an injected fetch answered only after timeoutMs and ignores the signal', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Promise<Response>((resolve) =>
          setTimeout(() => {
            // Headers after the deadline, then a body that never ends: only the timeout can stop it.
            const body = new ReadableStream<Uint8Array>({
              start: (c) => c.enqueue(new TextEncoder().encode('{"token_type":')),
            });
            resolve(new Response(body, { headers: { 'content-type': 'application/json' } }));
          }, 300),
        ),
    );
    const e = await failure(clientCredentials({ ...base, fetch, timeoutMs: 100 })());
    expect(e.message).toMatch(/within 100 ms/);
  });

  it('stops reading past the byte cap', async () => {
    const e = await failure(clientCredentials({ ...base, tokenUrl: `${url}/huge` })());
    expect(e.message).toContain(`more than ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
  });

  it('does not follow a redirect: the secret is never sent on', async () => {
    const e = await failure(clientCredentials({ ...base, tokenUrl: `${url}/redirect` })());
    expect(e.status).toBe(307);
    expect(e.message).toContain('redirect');
    expect(endpoint.received.map((r) => r.path)).not.toContain('/elsewhere');
  });

  it('reports a refused connection without the secret', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await failure(clientCredentials({ ...base, tokenUrl: `http://127.0.0.1:${port}/token` })());
    expect(e.message).toContain('check tokenUrl');
  });
});
