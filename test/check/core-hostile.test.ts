// The checker library against the rules it now shares with the client (src/internal/, issue 18):
// a token no header can carry and a base URL with what a request cannot keep are refused before
// any request; a redirect to another origin sends that origin nothing; an observer sees each
// exchange redacted.
import { describe, expect } from 'vitest';
import { test as it } from '../support/fixtures.js';
import { checkTarget } from '../../src/check/index.js';
import type { ObservedExchange } from '../../src/internal/exchange.js';
import { send } from '../client/hostile-server.js';

describe('checkTarget refuses what no request can carry, before any request', () => {
  it('a token with a line break, a NUL or a character beyond Latin-1, without quoting it', async ({
    hostileServer,
  }) => {
    const s = await hostileServer((_req, res) => send(res, 200, {}));
    for (const token of ['secret-part\r\nX-Injected: 1', 'secret-part\0x', 'secret-part\u2028x']) {
      const e = (await checkTarget({ baseUrl: s.url, token, fetch }).catch((x: unknown) => x)) as Error;
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(
        /^checkTarget: token holds a line break, a NUL or a character beyond Latin-1/,
      );
      expect(e.message).not.toContain('secret-part');
    }
    // The default transport (node:http) too.
    const e = await checkTarget({ baseUrl: s.url, token: 'secret-part\nx' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TypeError);
    expect(s.received).toHaveLength(0);
  });

  it('a base URL with a password, a query or a fragment, quoting none of them', async ({ hostileServer }) => {
    const s = await hostileServer((_req, res) => send(res, 200, {}));
    const host = s.url.replace('http://', '');
    for (const baseUrl of [`http://u:Pa55-w0rd@${host}`, `${s.url}/?k=Pa55-w0rd`, `${s.url}/#Pa55-w0rd`]) {
      const e = (await checkTarget({ baseUrl, token: 't', fetch }).catch((x: unknown) => x)) as Error;
      expect(e, baseUrl).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^checkTarget: baseUrl must not/);
      expect(e.message).not.toContain('Pa55');
    }
    expect(s.received).toHaveLength(0);
  });
});

describe('checkTarget({ fetch }) and redirects', () => {
  it('does not follow a redirect to another origin: the other origin gets no request, the token stays home', async ({
    hostileServer,
  }) => {
    const other = await hostileServer((_req, res) =>
      send(res, 200, { id: 'wst_1', status: 'CompletedSuccess' }),
    );
    const redirecting = await hostileServer((req, res) => {
      res.writeHead(307, { location: `${other.url}${req.path}` });
      res.end();
    });
    const report = await checkTarget({
      baseUrl: redirecting.url,
      token: 'tok-redirect',
      fetch,
      only: 'getTask',
      generate: false,
    });
    expect(redirecting.received.length).toBeGreaterThan(0);
    expect(other.received).toHaveLength(0);
    // The 307 is the answer the checks judge: a status the contract does not declare.
    const statuses = report.outcomes
      .filter((o) => o.check === 'status_code_conformance' && o.verdict === 'failed')
      .map((o) => o.exchange?.response?.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([307]));
  });
});

describe('checkTarget and a refused certificate', () => {
  it('says "TLS certificate error" rather than "cannot reach"', async () => {
    const fetch = async () => {
      const cause = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
      throw new TypeError('fetch failed', { cause });
    };
    const e = (await checkTarget({ baseUrl: 'https://live.example.com', token: 't', fetch }).catch(
      (x: unknown) => x,
    )) as Error;
    expect(e.name).toBe('ConnectionError');
    expect((e.cause as Error).name).toBe('RequestFailure');
    expect(e.message).toMatch(
      /^cannot check https:\/\/live\.example\.com: TLS certificate error \(CERT_HAS_EXPIRED\): the server's certificate is not trusted/,
    );
  });
});

describe('checkTarget({ onExchange })', () => {
  it('hands each exchange to the observer, redacted as the report keeps it', async ({ hostileServer }) => {
    const token = 'tok-observed-123';
    const s = await hostileServer((req, res) =>
      send(res, 404, { title: 'Not Found', detail: `echo ${req.headers.authorization}` }),
    );
    const seen: ObservedExchange[] = [];
    const report = await checkTarget({
      baseUrl: s.url,
      token,
      fetch,
      only: 'getTask',
      generate: false,
      onExchange: (e) => seen.push(e),
    });
    // Every request the report counts (the reachability probe is not one of them), observed once.
    expect(seen).toHaveLength(report.requests);
    const withToken = seen.find((e) => e.request.headers.authorization?.startsWith('Bearer '))!;
    expect(withToken.request.headers.authorization).toBe('Bearer [redacted]');
    expect(withToken.request.url.startsWith(`${s.url}/api/v2/task/`)).toBe(true);
    expect(withToken.response?.status).toBe(404);
    expect(withToken.response?.body).toContain('echo Bearer [redacted]');
    expect(withToken.timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(seen)).not.toContain(token);
  });
});
