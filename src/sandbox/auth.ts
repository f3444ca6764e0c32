import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export const DEFAULT_SANDBOX_TOKEN = 'sandbox-token';

/**
 * Whether a listen address reaches this machine only: `localhost`, 127.0.0.0/8, `::1` (IPv4-mapped
 * too). Anything else, a name included, may be reachable from other machines.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  const family = isIP(h);
  return h === 'localhost' || (family !== 0 && LOOPBACK.check(h, family === 4 ? 'ipv4' : 'ipv6'));
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether the sandbox would accept the token everyone knows on an address other machines reach. */
export const exposesDefaultToken = (host: string, tokens: readonly string[]) =>
  !isLoopbackHost(host) && tokens.includes(DEFAULT_SANDBOX_TOKEN);

export type AuthResult = { ok: true } | { ok: false; challenge: string; detail: string };

const REALM = 'Bearer realm="live-platform-sandbox"';

// Hashing first makes every comparison the same length, so neither the token's content nor its
// length leaks through timing.
export const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** The token of `Authorization: Bearer <token>` (the scheme in any case), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
}

/** Checks `Authorization: Bearer <token>` against the accepted tokens in constant time. */
export function createAuthenticator(tokens: string[]): (header: string | undefined) => AuthResult {
  const accepted = tokens.map(digest);
  return (header) => {
    const token = bearerToken(header);
    if (token === undefined) {
      return {
        ok: false,
        challenge: REALM,
        detail: 'Send the header Authorization: Bearer <token> with a sandbox token.',
      };
    }
    const candidate = digest(token);
    let ok = false;
    // No early exit: the time does not tell which token matched.
    for (const d of accepted) ok = timingSafeEqual(candidate, d) || ok;
    if (ok) return { ok: true };
    return {
      ok: false,
      challenge: `${REALM}, error="invalid_token"`,
      detail:
        'The bearer token was refused. Use a token the sandbox was started with (the default is printed at start).',
    };
  };
}
