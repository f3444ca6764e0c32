// JWT mode: the sandbox acts as its own Entra ID (a client-credentials token endpoint that signs
// RS256 tokens) and as an ASP.NET JwtBearer resource server (signature, lifetime, audience, issuer).
// jose is imported lazily so the default static-token mode never loads it.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mediaTypeOf } from '../internal/media-type.js';
import { jsonReply, problemReply, type Reply } from '../internal/problems.js';
import { bearerToken, digest, type AuthResult } from './auth.js';
import { readBody, unread } from '../internal/request-body.js';
import { printable } from '../internal/http-server.js';

export const DEFAULT_CLIENT_ID = 'sandbox-client';
export const DEFAULT_CLIENT_SECRET = 'sandbox-secret';
export const DEFAULT_AUDIENCE = 'api://live-platform-sandbox';
/** Entra ID's default access-token lifetime is 60-90 minutes; an hour is the usual figure. */
export const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;
export const TOKEN_PATH = '/_sandbox/token';
const KEYS_PATH = '/_sandbox/keys';

/** A form body of a token request is a few hundred bytes; anything far larger is refused unread. */
const TOKEN_BODY_LIMIT = 8 * 1024;

export interface JwtOptions {
  /** The client id the token endpoint accepts; default DEFAULT_CLIENT_ID. */
  clientId?: string;
  /** Its secret; default DEFAULT_CLIENT_SECRET. */
  clientSecret?: string;
  /** The `aud` of issued tokens, and the scope is `<audience>/.default`; default DEFAULT_AUDIENCE. */
  audience?: string;
}

export interface JwtSettings extends Required<JwtOptions> {
  scope: string;
  tokenLifetimeMs: number;
}

/** The settings of JWT mode from startSandbox's options (which index.ts has checked). */
export function jwtSettings(jwt: JwtOptions = {}, tokenLifetimeMs = DEFAULT_TOKEN_LIFETIME_MS): JwtSettings {
  const { clientId = DEFAULT_CLIENT_ID, clientSecret = DEFAULT_CLIENT_SECRET } = jwt;
  const audience = jwt.audience ?? DEFAULT_AUDIENCE;
  return { clientId, clientSecret, audience, scope: `${audience}/.default`, tokenLifetimeMs };
}

const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** DateTime.ToString(CultureInfo.InvariantCulture) of a UTC instant: `12/01/2026 15:30:00`. */
export function invariantDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * A claim from an untrusted token goes into a header parameter: only visible ASCII without quote or
 * backslash, and short, so it can neither break the header nor reach a 5xx.
 */
function claimText(value: unknown): string {
  const text = value === undefined ? '(null)' : [value].flat().map(String).join(', ');
  return printable(text.replace(/["\\]/g, '?'), 100);
}

const NO_STORE = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store, no-cache',
  pragma: 'no-cache',
};

/** The token endpoint's errors as Entra ID answers them: status, `error` and AADSTS code. */
const OAUTH_ERRORS = {
  request: [400, 'invalid_request', 900144],
  body: [400, 'invalid_request', 90014],
  grant: [400, 'unsupported_grant_type', 70003],
  client: [401, 'invalid_client', 7000215],
  scope: [400, 'invalid_scope', 1002012],
} as const;

/** An Entra ID style error body of the token endpoint. */
function oauthError(kind: keyof typeof OAUTH_ERRORS, description: string): Reply {
  const [status, error, code] = OAUTH_ERRORS[kind];
  const trace = randomUUID();
  const at = new Date().toISOString();
  const body = {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Timestamp: ${at}`,
    error_codes: [code],
    timestamp: at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    trace_id: trace,
    correlation_id: randomUUID(),
  };
  return { ...jsonReply(body, status), headers: NO_STORE };
}

export interface JwtAuthority {
  settings: JwtSettings;
  /** Set once the server listens: `<url>/_sandbox`, like Entra's `https://login.microsoftonline.com/<tenant>/v2.0`. */
  issuer: string;
  authenticate(header: string | undefined): Promise<AuthResult>;
  /** Signs a token as the endpoint does; `claims` override or add claims (tests use it for bad ones). */
  issue(claims?: Record<string, unknown>): Promise<{ token: string; exp: number }>;
  /** Answers the unauthenticated routes (token endpoint, keys); undefined for every other path. */
  openRoute(req: IncomingMessage, path: string): Promise<Reply | null> | undefined;
}

/** `now` is the time tokens are issued and checked at (ms since epoch): the sandbox's clock. */
export async function createJwtAuthority(
  settings: JwtSettings,
  now: () => number = Date.now,
): Promise<JwtAuthority> {
  const jose = await import('jose');
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwks = { keys: [{ ...(await jose.exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' }] };

  const authority: JwtAuthority = {
    settings,
    issuer: 'live-platform-sandbox',

    async authenticate(header) {
      const token = bearerToken(header);
      // JwtBearer's challenge to a request without a token has no error parameter.
      if (token === undefined) {
        const detail = `Send Authorization: Bearer <token> with a token from POST ${TOKEN_PATH}.`;
        return { ok: false, challenge: 'Bearer', detail };
      }
      const description = await invalidReason(token);
      if (description === undefined) return { ok: true };
      return {
        ok: false,
        challenge: `Bearer error="invalid_token"${description === null ? '' : `, error_description="${description}"`}`,
        detail: `The bearer token was refused${description ? `: ${description}` : ''}. Get a new one from POST ${TOKEN_PATH}.`,
      };
    },

    async issue(claims = {}) {
      // JWT times are whole seconds: the expiry is rounded up, so a token lives at least its lifetime
      // and less than a second more.
      const issuedAt = now();
      const iat = Math.floor(issuedAt / 1000);
      const exp = Math.ceil((issuedAt + settings.tokenLifetimeMs) / 1000);
      const app = settings.clientId;
      const token = await new jose.SignJWT({
        aud: settings.audience,
        iss: authority.issuer,
        sub: app,
        azp: app,
        appid: app,
        idtyp: 'app',
        oid: randomUUID(),
        tid: randomUUID(),
        ver: '2.0',
        iat,
        nbf: iat,
        exp,
        jti: randomUUID(),
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .sign(privateKey);
      return { token, exp: typeof claims.exp === 'number' ? claims.exp : exp };
    },

    openRoute(req, path) {
      // The keys need no body: one is dropped up to the sandbox's small limit, as on every route.
      if (path === KEYS_PATH) return unread(req, jsonReply(jwks));
      return path === TOKEN_PATH ? tokenEndpoint(req) : undefined;
    },
  };

  /** undefined: valid; null: refused without a description; a string: JwtBearer's error_description. */
  async function invalidReason(token: string): Promise<string | null | undefined> {
    let payload: Record<string, unknown>;
    try {
      // Lifetime first, then audience and issuer, in the order JwtBearer validates them.
      ({ payload } = await jose.jwtVerify(
        token,
        (h) => {
          if (h.kid !== kid) throw new jose.errors.JWKSNoMatchingKey();
          return publicKey;
        },
        { algorithms: ['RS256'], requiredClaims: ['exp'], currentDate: new Date(now()) },
      ));
    } catch (err) {
      const e = err as { code?: string; claim?: string; reason?: string; payload?: Record<string, unknown> };
      const at = (claim: string) => invariantDate(Number(e.payload?.[claim]));
      if (e.code === 'ERR_JWT_EXPIRED') return `The token expired at '${at('exp')}'`;
      if (e.code === 'ERR_JWKS_NO_MATCHING_KEY') return 'The signature key was not found';
      if (e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || e.code === 'ERR_JOSE_ALG_NOT_ALLOWED')
        return 'The signature is invalid';
      if (e.code !== 'ERR_JWT_CLAIM_VALIDATION_FAILED') return null;
      if (e.claim === 'exp' && e.reason === 'missing') return 'The token has no expiration';
      return e.claim === 'nbf' ? `The token is not valid before '${at('nbf')}'` : null;
    }
    const aud = payload.aud;
    if (!(aud === settings.audience || (Array.isArray(aud) && aud.includes(settings.audience))))
      return `The audience '${claimText(aud)}' is invalid`;
    if (payload.iss !== authority.issuer) return `The issuer '${claimText(payload.iss)}' is invalid`;
    return undefined;
  }

  async function tokenEndpoint(req: IncomingMessage): Promise<Reply | null> {
    // Refused before reading: the body is dropped up to a small limit and the connection then ends.
    if (req.method !== 'POST')
      return unread(req, problemReply(405, `Use POST for ${TOKEN_PATH}.`, { allow: 'POST' }), true);
    if (mediaTypeOf(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      const description = 'Send the body as Content-Type: application/x-www-form-urlencoded.';
      return unread(req, oauthError('request', description), true);
    }
    const body = await readBody(req, TOKEN_BODY_LIMIT);
    if (body.kind === 'aborted') return null;
    if (body.kind !== 'ok') {
      const r = oauthError('body', `The request body must be UTF-8 and at most ${TOKEN_BODY_LIMIT} bytes.`);
      return body.kind === 'too-large' ? { ...r, close: body.closeConnection } : r;
    }
    const form = new URLSearchParams(body.text);
    const missing = ['grant_type', 'client_id', 'client_secret', 'scope'].find((name) => !form.get(name));
    if (missing)
      return oauthError('request', `The request body must contain the following parameter: '${missing}'.`);
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError('grant', 'The app requested an unsupported grant type; use client_credentials.');
    // One answer for an unknown client and a wrong secret: the endpoint does not confirm client ids.
    const knownClient = sameSecret(form.get('client_id')!, settings.clientId);
    if (!(sameSecret(form.get('client_secret')!, settings.clientSecret) && knownClient))
      return oauthError('client', 'Invalid client secret provided, or unknown client id.');
    if (form.get('scope')!.trim() !== settings.scope) {
      return oauthError(
        'scope',
        `The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier: ${settings.scope}.`,
      );
    }
    const { token: accessToken, exp } = await authority.issue();
    // Whole seconds left, rounded down as Entra ID's 3599 for an hour's token is.
    const expiresIn = Math.max(0, Math.floor(exp - now() / 1000));
    const answer = {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: accessToken,
    };
    return { ...jsonReply(answer), headers: NO_STORE };
  }

  return authority;
}
