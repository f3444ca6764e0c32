import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASPNET_SWITCHES, parseAspNetFlag } from '../../sandbox/aspnet.js';
import {
  DEFAULT_CLIENT_SECRET,
  DEFAULT_LIMITS,
  DEFAULT_SANDBOX_TOKEN,
  exposesDefaultToken,
  startSandbox,
  type RunningSandbox,
  type SandboxLimits,
  type SandboxSeed,
} from '../../sandbox/index.js';
import { MAX_TIMER_MS } from '../../internal/timers.js';
import { loadRecordingSeed, loadSeed } from '../../sandbox/seed.js';
import {
  address,
  flags,
  listen,
  msOption,
  parse,
  printed,
  untilSignal,
  UsageError,
  usageOf,
  wholeNumberOption,
} from '../args.js';
import { isVisibleToken } from '../../internal/token.js';

/** The shipped sandbox guide (docs/ beside dist/), relative to the working directory when below it. */
function guidePath(): string {
  const guide = fileURLToPath(new URL('../../../docs/sandbox.md', import.meta.url));
  const near = relative(process.cwd(), guide);
  return near.startsWith('..') || isAbsolute(near) ? guide : near;
}

/** Each cap and timeout of SandboxLimits as a flag; the defaults come from DEFAULT_LIMITS. */
const LIMIT_FLAGS: [flag: string, key: keyof SandboxLimits, meaning: string][] = [
  ['max-tasks', 'maxTasks', 'tasks kept; the oldest finished one goes at the cap'],
  ['max-customers', 'maxCustomers', 'customers kept; more are refused with 403'],
  ['max-leads', 'maxLeads', 'leads kept; more are refused with 403'],
  ['max-faults', 'maxFaults', 'faults queued; more are refused with 403'],
  ['max-variable-bytes', 'maxVariableBytes', 'bytes of customer variables kept, over all customers'],
  [
    'max-connections',
    'maxConnections',
    'open connections; above it the oldest idle one closes (capped below ulimit -n)',
  ],
  ['headers-timeout', 'headersTimeoutMs', 'ms a client has to send the request headers'],
  ['request-timeout', 'requestTimeoutMs', 'ms a client has to send the whole request'],
  ['keep-alive-timeout', 'keepAliveTimeoutMs', 'ms an idle keep-alive connection stays open'],
  ['drain-timeout', 'drainTimeoutMs', 'ms requests in flight get to finish on Ctrl-C or SIGTERM'],
];

export const usage = `Usage: live-platform sandbox [--port 4020] [--host 127.0.0.1] [--token T]... [--task-duration ms] [--seed FILE] [--log] [--max-tasks N]...

Runs a stateful Live Platform sandbox: the vendor's fixtures, tasks that move from InProgress to
their outcome, and a control plane under /_sandbox/ (reset, leads, state, customer, faults).

  --port N            port to listen on (default 4020; 0 picks a free one)
  --host H            interface to listen on (default 127.0.0.1; any other needs --token)
  --token T           an accepted bearer token; repeat for several (default: ${DEFAULT_SANDBOX_TOKEN})
  --task-duration ms  how long a task stays InProgress (default 2000)
  --seed FILE         a JSON file of extra leads, SBCs, customers, OVOC customers and tasks
  --seed-har FILE     start with the tasks, customers, OVOC customers and leads a HAR recording
                      shows (from \`live-platform proxy --har\` or \`check --har\`); with --seed, both
  --log               print one line per request to stderr (method, path, status, ms; never a token)

Caps and timeouts, for a sandbox shared for days (whole numbers of at least 1):
${LIMIT_FLAGS.map(([flag, key, meaning]) => `  --${flag.padEnd(19)} ${meaning} (default ${DEFAULT_LIMITS[key]})`).join('\n')}

Authentication and ASP.NET Core behaviours (off by default):
  --auth static|jwt   static: the --token tokens (default); jwt: signed JWTs from POST /_sandbox/token
                      (client credentials), validated like ASP.NET JwtBearer
  --token-lifetime T  JWT mode: how long a token lives: ms, or 90s, 5m, 1h (default 1h)
  --aspnet LIST       ASP.NET behaviours: all, or names separated by commas (see docs/sandbox.md):
${ASPNET_SWITCHES.map((n) => `                        ${n}`).join('\n')}`;

function limitOptions(values: Record<string, unknown>): Partial<SandboxLimits> {
  const limits: Partial<SandboxLimits> = {};
  for (const [flag, key] of LIMIT_FLAGS) {
    const n = wholeNumberOption(values[flag], `--${flag}`, 1, Number.MAX_SAFE_INTEGER);
    if (n === undefined) continue;
    if (key.endsWith('Ms') && n > MAX_TIMER_MS)
      throw new UsageError(`--${flag} must be at most ${MAX_TIMER_MS} ms (about 24 days), not ${n}.`);
    limits[key] = n;
  }
  const { headersTimeoutMs, requestTimeoutMs } = { ...DEFAULT_LIMITS, ...limits };
  if (headersTimeoutMs > requestTimeoutMs)
    throw new UsageError('--headers-timeout must not exceed --request-timeout.');
  return limits;
}

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

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves with the exit code once the server should stop (Ctrl-C for the real command). */
  until(close: () => Promise<void>, server: RunningSandbox): Promise<number>;
}

/** --seed and --seed-har, read before listening: both merged, the recording's last. */
function seedOption(file: string | undefined, har: string | undefined): SandboxSeed | undefined {
  const given = file === undefined ? undefined : usageOf(() => loadSeed(file), '--seed: ');
  const recorded = har === undefined ? undefined : usageOf(() => loadRecordingSeed(har), '--seed-har: ');
  if (!given || !recorded) return given ?? recorded;
  const lists = (['leads', 'customers', 'ovocCustomers', 'tasks'] as const).map((k) => [
    k,
    [...(given[k] ?? []), ...(recorded[k] ?? [])],
  ]);
  return { ...given, ...Object.fromEntries(lists) } as SandboxSeed;
}

/** The command with its output and its lifetime injected, so tests run it in-process. */
export async function runSandbox(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...flags('string', 'port', 'host', 'task-duration', 'seed', 'seed-har'),
      ...flags('string', 'auth', 'token-lifetime', 'aspnet'),
      ...flags('string', ...LIMIT_FLAGS.map(([flag]) => flag)),
      ...flags('boolean', 'log'),
      token: { type: 'string', multiple: true },
    },
    'sandbox',
  );
  if (values.help) return printed(usage, io.out);
  const { port, host } = address(values, 4020);
  const tokens = values.token;
  if (tokens?.some((t) => !isVisibleToken(t))) {
    throw new UsageError('--token must be a non-empty token of visible ASCII characters without spaces.');
  }
  const limits = limitOptions(values);
  // Refused before listening: the default token is in every README, so on an address other
  // machines reach it would let anyone in.
  if (values.auth !== 'jwt' && exposesDefaultToken(host, tokens ?? [DEFAULT_SANDBOX_TOKEN]))
    throw new UsageError(
      `--host ${host} is reachable from other machines, and the default token ${DEFAULT_SANDBOX_TOKEN} is public: pass --token with a secret of your own (or listen on 127.0.0.1).`,
    );
  const seed = seedOption(values.seed, values['seed-har']);
  const auth = values.auth ?? 'static';
  if (auth !== 'static' && auth !== 'jwt')
    throw new UsageError(`--auth must be static or jwt, not ${JSON.stringify(auth)}.`);
  if (auth === 'jwt' && tokens)
    throw new UsageError('--token is for --auth static; JWT mode issues its own tokens.');
  const ttl = values['token-lifetime'];
  if (auth !== 'jwt' && ttl !== undefined) throw new UsageError('--token-lifetime needs --auth jwt.');
  const server = await listen(startSandbox, {
    port,
    host,
    tokens,
    taskDurationMs: msOption(values['task-duration'], '--task-duration', 0),
    seed,
    limits,
    auth,
    tokenLifetimeMs: ttl === undefined ? undefined : lifetime(ttl),
    aspnet: values.aspnet === undefined ? undefined : usageOf(() => parseAspNetFlag(values.aspnet!)),
    // Off by default: a line per request costs throughput under load and floods a benchmark's output.
    log: values.log ? io.err : undefined,
  });
  io.out(`Live Platform sandbox listening on ${server.url}`);
  // A token or secret the user chose is never echoed: only the well-known defaults are.
  const jwt = server.jwt;
  if (jwt) {
    io.out(`Tokens: POST ${jwt.tokenUrl} (form: grant_type=client_credentials, client_id=${jwt.clientId},`);
    io.out(
      `  client_secret=${jwt.clientSecret === DEFAULT_CLIENT_SECRET ? jwt.clientSecret : '(yours)'}, scope=${jwt.scope}); signing keys at ${server.url}/_sandbox/keys`,
    );
  } else
    io.out(
      tokens
        ? `Accepted tokens: the ${tokens.length === 1 ? 'one' : tokens.length} you passed with --token.`
        : `Token: send Authorization: Bearer ${DEFAULT_SANDBOX_TOKEN}`,
    );
  io.out(
    `Control plane: ${server.url}/_sandbox/state (reset, leads, faults: "Control plane" in ${guidePath()}). Ctrl-C stops it.`,
  );
  return io.until(server.close, server);
}

export function run(argv: string[]): Promise<number> {
  return runSandbox(argv, { out: console.log, err: console.error, until: untilSignal });
}
