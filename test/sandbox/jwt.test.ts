import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_SANDBOX_TOKEN,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import { UsageError } from '../../src/cli/args.js';
import { runSandbox } from '../../src/cli/commands/sandbox.js';
import { createJwtAuthority, invariantDate, jwtSettings } from '../../src/sandbox/jwt.js';
import { test } from '../support/fixtures.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function tokenRequest(sandbox: RunningSandbox, fields: Record<string, string>, headers = FORM) {
  const res = await fetch(`${sandbox.url}/_sandbox/token`, { method: 'POST', headers, body: form(fields) });
  const text = await res.text();
  return { res, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

function goodFields(sandbox: RunningSandbox) {
  return {
    grant_type: 'client_credentials',
    client_id: sandbox.jwt!.clientId,
    client_secret: sandbox.jwt!.clientSecret,
    scope: sandbox.jwt!.scope,
  };
}

const getTask = (sandbox: RunningSandbox, token?: string) =>
  fetch(`${sandbox.url}/api/v2/task/tsk_185510`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

describe('src/sandbox/jwt.ts: the token endpoint', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ auth: 'jwt', taskDurationMs: 50 });
  });
  afterAll(() => sandbox.close());

  it('issues an RS256 JWT like Entra ID v2 for client credentials, and the API accepts it', async () => {
    expect(sandbox.tokens).toEqual([]);
    expect(sandbox.jwt).toMatchObject({
      tokenUrl: `${sandbox.url}/_sandbox/token`,
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      scope: 'api://live-platform-sandbox/.default',
      issuer: `${sandbox.url}/_sandbox`,
    });
    const { res, body } = await tokenRequest(sandbox, goodFields(sandbox));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(body!.expires_in).toBeGreaterThanOrEqual(3599);
    expect(body!.expires_in).toBeLessThanOrEqual(3600);
    const token = body!.access_token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      aud: 'api://live-platform-sandbox',
      iss: `${sandbox.url}/_sandbox`,
      azp: DEFAULT_CLIENT_ID,
    });
    expect(claims.exp! - claims.iat!).toBeGreaterThanOrEqual(3600);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(3601);

    const ok = await getTask(sandbox, token);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { id: string }).id).toBe('tsk_185510');
  });

  it('publishes its signing key as a JWKS at /_sandbox/keys, without authentication', async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/keys`);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('refuses bad token requests as Entra ID does, never echoing the secret', async () => {
    const good = goodFields(sandbox);
    const cases: [Record<string, string>, number, string][] = [
      [{ ...good, client_secret: 'wrong-secret-value' }, 401, 'invalid_client'],
      [{ ...good, client_id: 'someone-else' }, 401, 'invalid_client'],
      [{ ...good, grant_type: 'password' }, 400, 'unsupported_grant_type'],
      [{ ...good, scope: 'api://live-platform-sandbox' }, 400, 'invalid_scope'],
      [
        { grant_type: 'client_credentials', client_id: good.client_id, client_secret: good.client_secret },
        400,
        'invalid_request',
      ],
    ];
    for (const [fields, status, error] of cases) {
      const { res, text, body } = await tokenRequest(sandbox, fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(body).toMatchObject({
        error,
        error_description: expect.stringMatching(/^AADSTS\d+: /),
        error_codes: [expect.any(Number)],
      });
      expect(text).not.toContain('wrong-secret-value');
      expect(text).not.toContain(DEFAULT_CLIENT_SECRET);
    }
    const json = await tokenRequest(sandbox, good, { 'content-type': 'application/json' });
    expect(json.res.status).toBe(400);
    expect(json.body).toMatchObject({ error: 'invalid_request' });
    const get = await fetch(`${sandbox.url}/_sandbox/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const huge = await fetch(`${sandbox.url}/_sandbox/token`, {
      method: 'POST',
      headers: FORM,
      body: 'a'.repeat(100_000),
    });
    expect(huge.status).toBe(400);
  });

  it('challenges a request without a token with a plain Bearer, and refuses static tokens', async () => {
    const none = await getTask(sandbox);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await none.json()) as { detail: string }).detail).toContain('/_sandbox/token');
    for (const token of [DEFAULT_SANDBOX_TOKEN, 'a.b.c', 'x'.repeat(5000)]) {
      const res = await getTask(sandbox, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
    // The control plane needs a token too; only the token endpoint and the keys are open.
    expect((await fetch(`${sandbox.url}/_sandbox/state`)).status).toBe(401);
  });

  it('says "The signature is invalid" for a tampered token and "key was not found" for another issuer\'s key', async () => {
    const { body } = await tokenRequest(sandbox, goodFields(sandbox));
    const [h, p, s] = (body!.access_token as string).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 86400 })).toString(
      'base64url',
    );
    const tampered = await getTask(sandbox, `${h}.${forged}.${s}`);
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The signature is invalid"',
    );
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    expect((await getTask(sandbox, unsigned)).headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token"/,
    );

    const other = await startSandbox({ auth: 'jwt' });
    try {
      const foreign = await tokenRequest(other, goodFields(other));
      const res = await getTask(sandbox, foreign.body!.access_token as string);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", error_description="The signature key was not found"',
      );
    } finally {
      await other.close();
    }
  });
});

describe('src/sandbox/jwt.ts: expiry', () => {
  test('refuses an expired token with JwtBearer\'s "The token expired at" and its invariant-culture date', async ({
    startSandbox: start,
    clock,
  }) => {
    const sandbox = await start({ auth: 'jwt', tokenLifetimeMs: 1 });
    const { body } = await tokenRequest(sandbox, goodFields(sandbox));
    expect(body!.expires_in).toBeLessThanOrEqual(1);
    const token = body!.access_token as string;
    const exp = decodeJwt(token).exp!;
    // Valid until the next whole second of the sandbox's clock, and refused once it gets there.
    expect((await getTask(sandbox, token)).status).toBe(200);
    clock.advance(exp * 1000 - clock.now());
    const res = await getTask(sandbox, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer error="invalid_token", error_description="The token expired at '${invariantDate(exp)}'"`,
    );
    expect(((await res.json()) as { detail: string }).detail).toContain('The token expired at');
  });
});

describe('src/sandbox/jwt.ts: audience and issuer, as JwtBearer words them', () => {
  it('checks lifetime, then audience, then issuer; hostile claim text cannot break the header', async () => {
    const authority = await createJwtAuthority(jwtSettings(undefined, 60_000));
    authority.issuer = 'http://127.0.0.1:1/_sandbox';
    const check = async (claims: Record<string, unknown>) =>
      authority.authenticate(`Bearer ${(await authority.issue(claims)).token}`);
    expect(await check({})).toEqual({ ok: true });
    expect(await check({ aud: 'api://other' })).toMatchObject({
      ok: false,
      challenge: `Bearer error="invalid_token", error_description="The audience 'api://other' is invalid"`,
    });
    expect(await check({ iss: 'https://evil.example' })).toMatchObject({
      challenge: `Bearer error="invalid_token", error_description="The issuer 'https://evil.example' is invalid"`,
    });
    const past = Math.floor(Date.now() / 1000) - 100;
    expect(await check({ aud: 'api://other', exp: past })).toMatchObject({
      challenge: `Bearer error="invalid_token", error_description="The token expired at '${invariantDate(past)}'"`,
    });
    const future = Math.floor(Date.now() / 1000) + 1000;
    expect(await check({ nbf: future })).toMatchObject({
      challenge: `Bearer error="invalid_token", error_description="The token is not valid before '${invariantDate(future)}'"`,
    });
    expect(await check({ exp: undefined })).toMatchObject({
      challenge: 'Bearer error="invalid_token", error_description="The token has no expiration"',
    });
    const hostile = await check({ aud: 'a"\r\nSet-Cookie: x=1\\' + 'y'.repeat(500) });
    expect(hostile.ok).toBe(false);
    const challenge = (hostile as { challenge: string }).challenge;
    expect(challenge).toMatch(
      /^Bearer error="invalid_token", error_description="The audience 'a\?\?\?Set-Cookie: x=1\?y+\.\.\.' is invalid"$/,
    );
    expect(challenge.length).toBeLessThan(200);
  });

  it('rejects bad options with a TypeError that says what to pass', async () => {
    await expect(startSandbox({ auth: 'jwt', tokens: ['t'] })).rejects.toThrow(
      /tokens are for auth "static"/,
    );
    await expect(startSandbox({ tokenLifetimeMs: 1000 })).rejects.toThrow(/need auth: "jwt"/);
    await expect(startSandbox({ auth: 'jwt', tokenLifetimeMs: 0 })).rejects.toThrow(/tokenLifetimeMs/);
    // @ts-expect-error: only static or jwt
    await expect(startSandbox({ auth: 'basic' })).rejects.toThrow(/auth must be/);
    await expect(startSandbox({ auth: 'jwt', jwt: { clientSecret: 'has space' } })).rejects.toThrow(
      /clientSecret/,
    );
  });
});

describe('live-platform sandbox --auth jwt --token-lifetime --aspnet', () => {
  async function run(argv: string[]) {
    const out: string[] = [];
    let answer: { status: number; challenge: string | null; tokenStatus: number } | undefined;
    const code = await runSandbox(argv, {
      out: (l) => out.push(l),
      err: () => {},
      async until(close, s) {
        const asked = Date.now();
        const t = await fetch(s.jwt!.tokenUrl, {
          method: 'POST',
          headers: FORM,
          body: form({
            grant_type: 'client_credentials',
            client_id: s.jwt!.clientId,
            client_secret: s.jwt!.clientSecret,
            scope: s.jwt!.scope,
          }),
        });
        const { access_token } = (await t.json()) as { access_token: string };
        const res = await getTask(s, access_token);
        const refused = await getTask(s);
        answer = {
          status: res.status,
          challenge: refused.headers.get('www-authenticate'),
          tokenStatus: t.status,
        };
        expect(decodeJwt(access_token).exp! - decodeJwt(access_token).iat!).toBeGreaterThanOrEqual(90);
        // Issued now, not earlier: it expires at least the lifetime after it was asked for.
        expect(decodeJwt(access_token).exp! * 1000 - asked).toBeGreaterThanOrEqual(90_000);
        expect(await refused.text()).toBe('');
        await close();
        return 0;
      },
    });
    return { code, out: out.join('\n'), answer };
  }

  it('starts in JWT mode, prints where to get a token, and applies the lifetime and switches', async () => {
    const r = await run([
      '--port',
      '0',
      '--auth',
      'jwt',
      '--token-lifetime',
      '90s',
      '--aspnet',
      'emptyAuthBodies',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Tokens: POST http:\/\/127\.0\.0\.1:\d+\/_sandbox\/token/);
    expect(r.out).toContain(`client_id=${DEFAULT_CLIENT_ID}`);
    expect(r.answer).toEqual({ status: 200, challenge: 'Bearer', tokenStatus: 200 });
  });

  it('exits 2 with what to change on bad flags', async () => {
    const io = { out: () => {}, err: () => {}, until: async () => 0 };
    for (const [argv, message] of [
      [['--auth', 'basic'], /--auth must be static or jwt/],
      [['--auth', 'jwt', '--token', 'x'], /--token is for --auth static/],
      [['--token-lifetime', '5m'], /needs --auth jwt/],
      [['--auth', 'jwt', '--token-lifetime', 'soon'], /--token-lifetime must be a duration/],
      [['--aspnet', 'bogus'], /--aspnet takes "all".*unknown: bogus/],
    ] as [string[], RegExp][]) {
      await expect(runSandbox(['--port', '0', ...argv], io)).rejects.toThrow(message);
      await expect(runSandbox(['--port', '0', ...argv], io)).rejects.toBeInstanceOf(UsageError);
    }
  });
});
