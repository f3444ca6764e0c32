// A request refused with 401 invalid_token is repeated once after a forced refresh; a poll that
// crosses a token expiry completes. Against the sandbox's JWT mode (real signed tokens that expire)
// and against scripted answers for the edge cases.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import {
  clientCredentials,
  createLivePlatformClient,
  isLivePlatformError,
  type TokenRequestContext,
} from '../../src/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import type { CreateCustomerFromLeadRequest } from '../../src/types.js';
import { fakeFetch, json, problem } from './fake-fetch.js';

const LEAD = specExample<CreateCustomerFromLeadRequest>('CreateCustomerFromLeadRequest');
const EXPIRED = {
  'www-authenticate': `Bearer error="invalid_token", error_description="The token expired at '12/01/2026 15:30:00'"`,
};

/** A fetch that records every request's method, path and status (never the token itself). */
function recording() {
  const seen: { method: string; path: string; status: number; tokenTail: string }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const res = await globalThis.fetch(input, init);
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    seen.push({
      method: init?.method ?? 'GET',
      path: new URL(String(input)).pathname,
      status: res.status,
      tokenTail: auth.slice(-12),
    });
    return res;
  };
  return { fetch, seen };
}

describe('reauth against the sandbox in JWT mode: a poll across token expiries', () => {
  let sandbox: RunningSandbox;
  let emptyBodies: RunningSandbox;
  beforeAll(async () => {
    // Tokens live 1-2 s (JWT times are whole seconds); the task takes 3 s.
    sandbox = await startSandbox({ auth: 'jwt', tokenLifetimeMs: 1000, taskDurationMs: 3000 });
    emptyBodies = await startSandbox({
      auth: 'jwt',
      tokenLifetimeMs: 1000,
      taskDurationMs: 3000,
      aspnet: { emptyAuthBodies: true },
    });
  });
  afterAll(() => Promise.all([sandbox.close(), emptyBodies.close()]));

  it('completes a lead conversion with clientCredentials() refreshing before expiry, validation on', async () => {
    const { fetch, seen } = recording();
    const token = clientCredentials({ ...sandbox.jwt!, fetch });
    const lp = createLivePlatformClient({ baseUrl: sandbox.url, token, fetch, validateResponses: true });
    await fetch(`${sandbox.url}/_sandbox/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ msTenantId: LEAD.msTenantId }),
    });
    const task = await lp.beginCreateCustomerFromLead(
      { ...LEAD, customerShortName: 'Reauth1' },
      { intervalMs: 250, maxIntervalMs: 250, timeoutMs: 30_000 },
    );
    expect(task.status).toBe('CompletedSuccess');
    const tokenRequests = seen.filter((s) => s.path === '/_sandbox/token');
    expect(tokenRequests.length).toBeGreaterThanOrEqual(2);
    expect(tokenRequests.every((s) => s.status === 200)).toBe(true);
  });

  it.each([
    ['a problem body', () => sandbox],
    ["ASP.NET's empty body (emptyAuthBodies)", () => emptyBodies],
  ])(
    'repeats a poll refused with invalid_token (401 with %s) once, after forcing a refresh; the poll completes',
    async (_name, pick) => {
      const sandbox = pick();
      const { fetch, seen } = recording();
      const source = clientCredentials({ ...sandbox.jwt!, fetch });
      // A naive function: keeps its first token until told the server refused it.
      let kept: string | undefined;
      const forced: TokenRequestContext[] = [];
      const token = async (context?: TokenRequestContext) => {
        if (context?.forceRefresh) forced.push(context);
        if (!kept || context?.forceRefresh) kept = await source({ forceRefresh: true });
        return kept;
      };
      const lp = createLivePlatformClient({ baseUrl: sandbox.url, token, fetch });
      const poller = lp.beginImportCustomer(
        '182f496c-0aaa-4023-bdd4-03b9cf8f68b9',
        specExample('ImportCustomerRequest'),
        {
          intervalMs: 300,
          maxIntervalMs: 300,
          timeoutMs: 30_000,
        },
      );
      const task = await poller;
      expect(task.status).toBe('CompletedSuccess');
      expect(forced.length).toBeGreaterThanOrEqual(1);
      const refused = seen.filter((s) => s.status === 401);
      expect(refused.length).toBe(forced.length);
      // Each refused poll was followed by the same request with another token, which succeeded.
      for (const r of refused) {
        const i = seen.indexOf(r);
        const next = seen.slice(i + 1).find((s) => s.path === r.path && s.method === r.method)!;
        expect(next.status).toBe(200);
        expect(next.tokenTail).not.toBe(r.tokenTail);
      }
    },
  );
});

describe('reauth: what is repeated, and what is not', () => {
  it('repeats a refused POST once with the new token and the same body', async () => {
    const { fetch, sent } = fakeFetch(
      problem(401, {}, EXPIRED),
      json({ taskId: 'wst_1' }),
      json(specExample('TaskConverted')),
    );
    let n = 0;
    const calls: (TokenRequestContext | undefined)[] = [];
    const lp = createLivePlatformClient({
      baseUrl: 'https://live.example.com',
      token: (context) => {
        calls.push(context);
        return context?.forceRefresh ? `fresh-${++n}` : 'stale';
      },
      fetch,
    });
    const result = await lp.POST('/api/v3/customer', { body: LEAD });
    expect(result.data).toEqual({ taskId: 'wst_1' });
    expect(sent.map((s) => [s.method, s.headers.get('authorization')])).toEqual([
      ['POST', 'Bearer stale'],
      ['POST', 'Bearer fresh-1'],
    ]);
    expect(sent[1]!.body).toBe(sent[0]!.body);
    expect(calls).toEqual([undefined, { forceRefresh: true }]);
  });

  it('returns a second 401 as it is: one repeat, never a loop', async () => {
    const { fetch, sent } = fakeFetch(problem(401, { detail: 'still no' }, EXPIRED));
    let n = 0;
    const lp = createLivePlatformClient({
      baseUrl: 'https://live.example.com',
      token: () => `t${++n}`,
      fetch,
    });
    const error = await lp.getTask('tsk_1').catch((e: unknown) => e);
    expect(isLivePlatformError(error) && error.status).toBe(401);
    expect(sent).toHaveLength(2);
  });

  it('does not repeat a 401 without invalid_token, a fixed token, or when the function has nothing newer', async () => {
    const plain = fakeFetch(problem(401, {}, { 'www-authenticate': 'Bearer' }));
    await createLivePlatformClient({ baseUrl: 'https://x.example', token: () => 't', fetch: plain.fetch })
      .getTask('tsk_1')
      .catch(() => {});
    expect(plain.sent).toHaveLength(1);

    const fixed = fakeFetch(problem(401, {}, EXPIRED));
    await createLivePlatformClient({ baseUrl: 'https://x.example', token: 'fixed', fetch: fixed.fetch })
      .getTask('tsk_1')
      .catch(() => {});
    expect(fixed.sent).toHaveLength(1);

    // Like @azure/identity's getToken: a cached token is all it has.
    const same = fakeFetch(problem(401, {}, EXPIRED));
    await createLivePlatformClient({ baseUrl: 'https://x.example', token: () => 'cached', fetch: same.fetch })
      .getTask('tsk_1')
      .catch(() => {});
    expect(same.sent).toHaveLength(1);
  });

  it("rejects with the token source's error when the forced refresh fails, after one request", async () => {
    const { fetch, sent } = fakeFetch(problem(401, {}, EXPIRED));
    const lp = createLivePlatformClient({
      baseUrl: 'https://live.example.com',
      token: (c) => {
        if (c?.forceRefresh) throw new Error('token endpoint down');
        return 'stale';
      },
      fetch,
    });
    await expect(lp.getTask('tsk_1')).rejects.toThrow('token endpoint down');
    expect(sent).toHaveLength(1);
  });

  it('shares one forced refresh among requests refused on the same token', async () => {
    const { fetch, sent } = fakeFetch((req) =>
      req.headers.get('authorization') === 'Bearer stale'
        ? problem(401, {}, EXPIRED)
        : json(specExample('TaskConverted')),
    );
    let current = 'stale';
    let forcedCount = 0;
    // The refresh ends when the test says: after all four requests were refused on the stale token.
    let refreshed!: () => void;
    const refresh = new Promise<void>((r) => (refreshed = r));
    const token = async (context?: TokenRequestContext) => {
      if (context?.forceRefresh) {
        forcedCount++;
        await refresh;
        current = `fresh-${forcedCount}`;
      }
      return current;
    };
    const lp = createLivePlatformClient({ baseUrl: 'https://live.example.com', token, fetch });
    const all = Promise.all([1, 2, 3, 4].map(() => lp.getTask('wst_9a7ff916-aab2-41d1-a9fe-0e9baacf4a15')));
    await vi.waitUntil(() => sent.length === 4);
    refreshed();
    const tasks = await all;
    expect(tasks.every((t) => t.status === 'CompletedSuccess')).toBe(true);
    expect(forcedCount).toBe(1);
    expect(sent.filter((s) => s.headers.get('authorization') === 'Bearer fresh-1')).toHaveLength(4);
  });

  it('repeats a request that middleware turned into a real Request, body intact', async () => {
    const { fetch, sent } = fakeFetch(problem(401, {}, EXPIRED), json({ taskId: 'wst_2' }));
    const lp = createLivePlatformClient({
      baseUrl: 'https://live.example.com',
      token: (c) => (c?.forceRefresh ? 'fresh' : 'stale'),
      fetch,
    });
    lp.use({
      onRequest: ({ request }) =>
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit,
          duplex: 'half',
        } as RequestInit),
    });
    const result = await lp.POST('/api/v3/customer', { body: LEAD });
    expect(result.data).toEqual({ taskId: 'wst_2' });
    expect(sent).toHaveLength(2);
  });
});
