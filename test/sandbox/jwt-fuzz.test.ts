// Untrusted input never reaches a 5xx in JWT mode or under the ASP.NET switches: hostile bearer
// tokens (forged headers and claims of every type), hostile token-endpoint forms, and hostile JSON
// bodies through ignoreUnknownMembers and the response rewriting. A seeded generator keeps runs
// reproducible; every case is listed on failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { ASPNET_SWITCHES, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

/** mulberry32: small, seeded, good enough to spread cases. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const WEIRD: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER,
  '',
  'x'.repeat(3000),
  '"\r\n\\',
  '\u0000\u2028é',
  [],
  ['api://live-platform-sandbox', 7],
  {},
  { __proto__: { polluted: 1 } },
  [[[[[[]]]]]],
];

function hostileTokens(random: () => number): string[] {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const out = [
    '',
    '.',
    '..',
    'a.b.c',
    '...',
    `${b64({ alg: 'none' })}.${b64({})}.`,
    `${b64('not json')}.${b64('x')}.sig`,
  ];
  for (let i = 0; i < 150; i++) {
    const header =
      random() < 0.5
        ? { alg: pick(['RS256', 'HS256', 'none', 'ES256', 7, null]), kid: pick(WEIRD), typ: pick(WEIRD) }
        : pick(WEIRD);
    const claims =
      random() < 0.7
        ? { aud: pick(WEIRD), iss: pick(WEIRD), exp: pick(WEIRD), nbf: pick(WEIRD), iat: pick(WEIRD) }
        : pick(WEIRD);
    const sig = pick(['', 'AAAA', b64('x'.repeat(256)), '!!!', '%00']);
    out.push(`${b64(header)}.${b64(claims)}.${sig}`);
  }
  return out;
}

describe('JWT mode and ASP.NET switches: hostile input never reaches a 5xx', () => {
  let sandbox: RunningSandbox;
  const logs: string[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({
      auth: 'jwt',
      taskDurationMs: 0,
      aspnet: Object.fromEntries(ASPNET_SWITCHES.map((s) => [s, true])),
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => {
    expect(logs.filter((l) => / 5\d\d /.test(l) || l.includes('bug'))).toEqual([]);
    await sandbox.close();
  });

  it('refuses forged and malformed bearer tokens with 401 and a header-safe challenge', async () => {
    const failures: string[] = [];
    for (const token of hostileTokens(rng(12))) {
      const res = await fetch(`${sandbox.url}/api/v2/task/tsk_185510`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch((e: Error) => ({
        status: -1,
        headers: new Headers(),
        text: () => Promise.resolve(e.message),
      }));
      const challenge = res.headers.get('www-authenticate') ?? '';
      // An empty token is "no token"; everything else is refused as invalid.
      if (
        res.status !== 401 ||
        !/^Bearer( error="invalid_token"(, error_description="[^"\\]*")?)?$/.test(challenge)
      )
        failures.push(`${res.status} ${challenge} <- ${token.slice(0, 80)}`);
      await res.text();
    }
    expect(failures).toEqual([]);
  });

  it('answers hostile token requests with 4xx OAuth errors', async () => {
    const random = rng(7);
    const forms = ['', '=', '&&&', 'grant_type', '%ZZ', 'a=%E0%A4%A', 'scope=' + 'x'.repeat(7000)];
    for (let i = 0; i < 60; i++) {
      const fields = ['grant_type', 'client_id', 'client_secret', 'scope', '__proto__', 'constructor'];
      forms.push(
        fields
          .filter(() => random() < 0.7)
          .map((f) => `${f}=${encodeURIComponent(String(WEIRD[Math.floor(random() * WEIRD.length)]))}`)
          .join('&'),
      );
    }
    for (const body of forms) {
      const res = await fetch(`${sandbox.url}/_sandbox/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect([400, 401], body.slice(0, 80)).toContain(res.status);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /^(invalid_request|invalid_client|unsupported_grant_type|invalid_scope)$/,
      );
    }
  });

  it('takes hostile JSON bodies through ignoreUnknownMembers and the rewriting without a 5xx', async () => {
    const token = await (
      await fetch(sandbox.jwt!.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sandbox.jwt!.clientId,
          client_secret: sandbox.jwt!.clientSecret,
          scope: sandbox.jwt!.scope,
        }).toString(),
      })
    ).json();
    const auth = {
      authorization: `Bearer ${(token as { access_token: string }).access_token}`,
      'content-type': 'application/json',
    };
    const random = rng(3);
    const lead = specExample<Record<string, unknown>>('CreateCustomerFromLeadRequest');
    const essentials = specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest');
    const deep = JSON.parse('['.repeat(2000) + ']'.repeat(2000)) as unknown;
    const targets: [string, Record<string, unknown>][] = [
      ['/api/v3/customer', lead],
      ['/api/v2/customer', essentials],
      [
        '/api/v2/customer/182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport',
        specExample('ImportCustomerRequest'),
      ],
    ];
    const statuses = new Set<number>();
    for (const [path, base] of targets) {
      for (let i = 0; i < 40; i++) {
        const body: Record<string, unknown> = { ...base };
        for (const key of [
          ...Object.keys(base),
          'unknown',
          '__proto__',
          'constructor',
          'siteLocation',
          'scriptParameters',
        ]) {
          if (random() < 0.3) body[key] = random() < 0.1 ? deep : WEIRD[Math.floor(random() * WEIRD.length)];
        }
        const raw =
          random() < 0.1 ? JSON.stringify(body).replace('{', '{"__proto__":{"x":1},') : JSON.stringify(body);
        const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: auth, body: raw });
        statuses.add(res.status);
        expect(res.status, `${path} ${raw.slice(0, 200)}`).toBeLessThan(500);
        await res.text();
      }
    }
    // Both outcomes happened: the generator is not trivially always-valid or always-broken.
    expect(statuses.has(200) && statuses.has(400)).toBe(true);
  });
});
