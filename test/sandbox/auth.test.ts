import { describe, expect } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from '../../src/sandbox/index.js';
import { exposesDefaultToken, isLoopbackHost } from '../../src/sandbox/auth.js';
import { sandboxTest } from '../support/fixtures.js';

const TOKENS = ['custom-token-one', 'a-much-longer-custom-token-two-0123456789'];

/** Every endpoint, public and control, with a body that would otherwise succeed. */
const ENDPOINTS: [string, string, unknown?][] = [
  ['GET', '/api/v2/task/tsk_185510'],
  ['PUT', '/api/ovoc/v1/topology/customers/85844'],
  ['POST', '/api/v3/customer', specExample('CreateCustomerFromLeadRequest')],
  [
    'POST',
    '/api/v2/customer',
    { ...specExample<object>('CreateEssentialsCustomerRequest'), shortName: 'Auth1' },
  ],
  [
    'POST',
    '/api/v2/customer/182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport',
    specExample('ImportCustomerRequest'),
  ],
  ['POST', '/_sandbox/reset'],
  ['GET', '/_sandbox/state'],
  ['POST', '/_sandbox/leads', { msTenantId: '0b5f2a3c-1d2e-4f50-8a6b-7c8d9e0f1a2b' }],
  // A fault that changes nothing, so the other requests of a loop still succeed.
  ['POST', '/_sandbox/faults', { fault: 'delay', delayMs: 0 }],
  ['GET', '/no/such/path'],
];

const logs: string[] = [];
// One sandbox for the file, called with TOKENS[0]; at its end the fixture checks that 40 answers or
// more all conformed.
const it = sandboxTest({ tokens: TOKENS, log: (l) => logs.push(l) }, { atLeast: 40 });

describe('src/sandbox/auth.ts: bearer tokens', () => {
  it('answers 401 with a bare Bearer challenge and a problem body when no token is sent', async ({ c }) => {
    for (const [method, path, json] of ENDPOINTS) {
      const a = await c.call(method, path, { token: null, ...(json ? { json } : {}) });
      expect(a.status, `${method} ${path}`).toBe(401);
      expect(a.headers.get('www-authenticate')).toBe('Bearer realm="live-platform-sandbox"');
      expect(a.body.detail).toContain('Authorization: Bearer');
    }
  });

  it('answers 401 with error="invalid_token" when a token is refused, including the default one', async ({
    c,
  }) => {
    for (const token of [
      'wrong',
      DEFAULT_SANDBOX_TOKEN,
      `${TOKENS[0]}x`,
      TOKENS[0]!.slice(0, -1),
      'x'.repeat(5000),
    ]) {
      for (const [method, path, json] of ENDPOINTS) {
        const a = await c.call(method, path, { token, ...(json ? { json } : {}) });
        expect(a.status, `${method} ${path}`).toBe(401);
        expect(a.headers.get('www-authenticate')).toBe(
          'Bearer realm="live-platform-sandbox", error="invalid_token"',
        );
      }
    }
  });

  it('refuses other schemes and malformed headers', async ({ c }) => {
    for (const authorization of [
      `Basic ${btoa('u:p')}`,
      `Token ${TOKENS[0]}`,
      'Bearer',
      'Bearer ',
      `${TOKENS[0]}`,
      `Bearer ${TOKENS[0]} extra`,
    ]) {
      const a = await c.call('GET', '/api/v2/task/tsk_185510', { token: null, headers: { authorization } });
      expect(a.status, authorization).toBe(401);
    }
  });

  it('accepts every configured token, with the scheme in any case', async ({ c }) => {
    for (const token of TOKENS) {
      for (const [method, path, json] of ENDPOINTS.filter(([, p]) => p !== '/no/such/path')) {
        const a = await c.call(method, path, { token, ...(json ? { json } : {}) });
        expect(a.status, `${method} ${path}`).toBeLessThan(300);
      }
    }
    const lower = await c.call('GET', '/api/v2/task/tsk_185510', {
      token: null,
      headers: { authorization: `bearer ${TOKENS[1]}` },
    });
    expect(lower.status).toBe(200);
  });

  it('checks the token before the path: an unknown path without a token is a 401, with one a 404', async ({
    c,
  }) => {
    expect((await c.call('GET', '/no/such/path', { token: null })).status).toBe(401);
    expect((await c.call('GET', '/no/such/path')).status).toBe(404);
  });

  it('never writes a token to the log, accepted or refused', async () => {
    expect(logs.length).toBeGreaterThan(50);
    for (const line of logs) {
      for (const token of [...TOKENS, DEFAULT_SANDBOX_TOKEN, 'wrong']) expect(line).not.toContain(token);
      expect(line).toMatch(/^[A-Z]+ \/\S* \d{3} \d+\.\dms$/);
    }
  });
});

describe('src/sandbox/auth.ts: the public default token stays on this machine', () => {
  it('tells loopback addresses from the others', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.0.1',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', 'example.com', '128.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('startSandbox refuses the default token on a non-loopback host, and takes tokens of your own there', async () => {
    await expect(startSandbox({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /host "0.0.0.0" is reachable from other machines .* pass tokens of your own/,
    );
    expect(exposesDefaultToken('0.0.0.0', ['a-secret'])).toBe(false);
    expect(exposesDefaultToken('::', [DEFAULT_SANDBOX_TOKEN, 'a-secret'])).toBe(true);
    expect(exposesDefaultToken('127.0.0.1', [DEFAULT_SANDBOX_TOKEN])).toBe(false);
  });
});
