// The sandbox command's flags for JWT mode and the ASP.NET switches, kept out of sandbox.ts so
// that command wires them in with a spread and a call.
import { ASPNET_SWITCHES, parseAspNetFlag } from '../../sandbox/aspnet.js';
import { DEFAULT_CLIENT_SECRET, type RunningSandbox, type SandboxOptions } from '../../sandbox/index.js';
import { UsageError } from '../args.js';
import { errorText } from '../../internal/error-text.js';

export const authFlags = {
  auth: { type: 'string' },
  'token-lifetime': { type: 'string' },
  aspnet: { type: 'string' },
} as const;

export const authUsage = `  --auth static|jwt   static: the --token tokens (default); jwt: signed JWTs from POST /_sandbox/token
                      (client credentials), validated like ASP.NET JwtBearer
  --token-lifetime T  JWT mode: how long a token lives: ms, or 90s, 5m, 1h (default 1h)
  --aspnet LIST       ASP.NET behaviours: all, or names separated by commas (see docs/sandbox.md):
${ASPNET_SWITCHES.map((n) => `                        ${n}`).join('\n')}`;

/** `1500`, `90s`, `5m`, `1h` -> ms. */
function lifetime(value: string): number {
  const m = /^([0-9]+)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms']! : NaN;
  if (!(ms >= 1 && ms <= 86_400_000)) {
    throw new UsageError(
      `--token-lifetime must be a duration from 1 ms to 24 h such as 1500, 90s, 5m or 1h, not ${JSON.stringify(value)}.`,
    );
  }
  return ms;
}

export function authOptions(values: {
  auth?: string | undefined;
  'token-lifetime'?: string | undefined;
  aspnet?: string | undefined;
  token?: string[] | undefined;
}): Partial<SandboxOptions> {
  const auth = values.auth ?? 'static';
  if (auth !== 'static' && auth !== 'jwt')
    throw new UsageError(`--auth must be static or jwt, not ${JSON.stringify(auth)}.`);
  if (auth === 'jwt' && values.token)
    throw new UsageError('--token is for --auth static; JWT mode issues its own tokens.');
  if (auth !== 'jwt' && values['token-lifetime'] !== undefined)
    throw new UsageError('--token-lifetime needs --auth jwt.');
  const out: Partial<SandboxOptions> = {};
  if (auth === 'jwt') out.auth = 'jwt';
  if (values['token-lifetime'] !== undefined) out.tokenLifetimeMs = lifetime(values['token-lifetime']);
  if (values.aspnet !== undefined) {
    try {
      out.aspnet = parseAspNetFlag(values.aspnet);
    } catch (e) {
      throw new UsageError(errorText(e));
    }
  }
  return out;
}

/** The banner lines for JWT mode: where to get a token (the client and secret are the well-known defaults). */
export function jwtBanner(server: RunningSandbox): string[] {
  const j = server.jwt;
  if (!j) return [];
  return [
    `Tokens: POST ${j.tokenUrl} (form: grant_type=client_credentials, client_id=${j.clientId},`,
    // Only the well-known default secret is printed, as with static tokens.
    `  client_secret=${j.clientSecret === DEFAULT_CLIENT_SECRET ? j.clientSecret : '(yours)'}, scope=${j.scope}); signing keys at ${server.url}/_sandbox/keys`,
  ];
}
