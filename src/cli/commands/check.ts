import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { normalizeBaseUrl } from '../../internal/base-url.js';
import { bareToken } from '../../internal/token.js';
import { operations, UUID } from '../../contract/index.js';
import {
  checkEmbedded,
  checkTarget,
  embeddedPlan,
  ConnectionError,
  isConformant,
  redact,
  renderJson,
  renderJUnit,
  renderText,
  DEFAULT_PHASE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type CheckProgress,
  type TargetKind,
  type TargetReport,
} from '../../check/index.js';
import { DEFAULT_MAX_EXAMPLES, newSeed } from '../../check/fuzz/index.js';
import { parse, UsageError, wholeNumberOption } from '../args.js';
import { warnAboutCheckFlags } from '../check-notes.js';
import { redactor } from '../../internal/redact.js';
import { HarRecorder } from '../../har/record.js';
import { writeReport } from '../../har/write.js';
import { version } from '../version.js';
import { errorText } from '../../internal/error-text.js';

export const usage = `Usage: live-platform check [--base-url URL] [--token T] [--target live|sandbox|mock]
                          [--allow-writes] [--junit FILE] [--json FILE|-] [--max-response-time ms]
                          [--only operationId] [--lead-tenant msTenantId] [--request-timeout ms]
                          [--task-timeout ms] [--phase-timeout ms] [--concurrency n] [--strict]
                          [--seed S] [--max-examples N] [--no-generate] [--har FILE]

Checks that a server honours the contract. Without a URL it starts the sandbox, and the Prism mock
when Prism is installed, and checks them; with one it checks that server.

  --base-url URL           server to check (or LIVE_PLATFORM_BASE_URL)
  --token T                its bearer token (or LIVE_PLATFORM_TOKEN, which keeps it out of shell history)
  --target KIND            what the URL is: live (default), sandbox (this project's, started elsewhere)
                           or mock (a Prism mock started elsewhere); a mock gets the built-in run's skips
  --allow-writes           send requests that create customers and tasks to a server the checker did
                           not start; created names start with a run prefix (ct + 6 characters)
  --lead-tenant ID         msTenantId of an Operator Connect lead the lead workflow may convert
                           (or LIVE_PLATFORM_LEAD_TENANT); needs --allow-writes
  --junit FILE             write a JUnit XML report (a testcase per operation x check)
  --json FILE              write a JSON report; \`--json -\` writes it to stdout and the table to stderr
  --max-response-time ms   fail any response slower than this
  --only operationId       check one operation (${operations.map((o) => o.operationId).join(', ')})
  --request-timeout ms     hard limit per request, connect, headers and body together (${DEFAULT_REQUEST_TIMEOUT_MS})
  --task-timeout ms        limit for following a task to its end, 429/503 waits included (300000;
                           15000 for the servers it starts)
  --phase-timeout ms       deadline of each phase, the deterministic cases and the generated ones
                           (${DEFAULT_PHASE_TIMEOUT_MS.live}; ${DEFAULT_PHASE_TIMEOUT_MS.embedded} for the servers it starts); the report says
                           when one stopped there
  --concurrency n          requests in flight at once (6)
  --strict                 fail, instead of warn about, invalid bodies a server accepts and answers
                           that break only rules that are the project's decision, not the vendor's
                           ("lenient")
  --seed S                 seed of the generated cases (printed on every run; the same seed replays
                           the same requests and the same minimal failure)
  --max-examples N         generated valid and invalid requests per operation (default ${DEFAULT_MAX_EXAMPLES};
                           200 or more for a deeper run)
  --no-generate            only the deterministic cases (one per constraint) and the workflows
  --har FILE               record every exchange of the run as HAR 1.2 (token redacted), for
                           \`live-platform validate\`, a HAR viewer, or \`sandbox --seed-har\`

Ctrl-C (or SIGTERM) stops the run within 2 seconds, closes the servers it started and writes the
reports of what completed (exit 130, or 143 for SIGTERM).

Exit codes: 0 conformant, 1 a check failed, 2 usage, connection or setup error (a refused token,
a base URL that is not the API root).`;

/**
 * Every flag of the command in one table, so that a flag added by another change is one line here
 * and one line where it is read.
 */
const FLAGS = {
  'base-url': { type: 'string' },
  token: { type: 'string' },
  target: { type: 'string' },
  'allow-writes': { type: 'boolean' },
  junit: { type: 'string' },
  json: { type: 'string' },
  'max-response-time': { type: 'string' },
  only: { type: 'string' },
  'lead-tenant': { type: 'string' },
  'request-timeout': { type: 'string' },
  'task-timeout': { type: 'string' },
  'phase-timeout': { type: 'string' },
  concurrency: { type: 'string' },
  strict: { type: 'boolean' },
  seed: { type: 'string' },
  'max-examples': { type: 'string' },
  'no-generate': { type: 'boolean' },
  har: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const TARGET_KINDS: readonly TargetKind[] = ['live', 'sandbox', 'mock'];
/** After SIGINT or SIGTERM the process ends within this, whatever is still running. */
const STOP_DEADLINE_MS = 1_800;
/** A line on stderr this often when stderr is not a terminal, so a long CI run is never silent. */
const PROGRESS_EVERY_MS = 5_000;

/**
 * The one base-URL rule the client and checkTarget use too (src/internal/base-url.ts), as exit 2.
 * `source` is where the value came from, `--base-url` or `LIVE_PLATFORM_BASE_URL`: the message names it.
 */
function baseUrlOption(raw: string, source: string): string {
  try {
    return normalizeBaseUrl(raw, source);
  } catch (e) {
    throw new UsageError(errorText(e));
  }
}

/** The token as it goes on the wire, refused before any request when no HTTP header can carry it. */
function tokenOption(raw: string | undefined, source: string): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return bareToken(raw, source) || undefined;
  } catch (err) {
    throw new UsageError(`${errorText(err)} Pass the token exactly as it was issued.`);
  }
}

const positiveInt = (
  raw: unknown,
  flag: string,
  says = 'a whole number of milliseconds above 0',
  max = 86_400_000,
) => wholeNumberOption(raw, flag, 1, max, says);

function targetOption(raw: string | undefined, baseUrl: string | undefined): TargetKind | undefined {
  if (raw === undefined) return undefined;
  if (!TARGET_KINDS.includes(raw as TargetKind))
    throw new UsageError(`--target must be one of ${TARGET_KINDS.join(', ')}, not ${JSON.stringify(raw)}.`);
  if (!baseUrl)
    throw new UsageError(
      '--target says what the server at --base-url is; without a URL the checker starts its own mock and sandbox.',
    );
  return raw as TargetKind;
}

/** Fails before any request when a report could not be written, so a long run is not wasted. */
export async function writablePath(raw: string | undefined, flag: string): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  if (raw === '-' && flag === '--json') return '-';
  if (raw === '-') throw new UsageError(`${flag} needs a file path; only --json writes to stdout (-).`);
  if (!raw.trim()) throw new UsageError(`${flag} needs a file path.`);
  const path = resolve(raw);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory())
    throw new UsageError(`${flag} ${raw} is a directory; give a file path such as ${raw}/report.xml.`);
  const file = await fileAbove(path);
  if (file)
    throw new UsageError(
      `${flag} ${raw} cannot be written: ${file} is a file, not a directory; choose another path.`,
    );
  try {
    await access(info ? path : dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(
      info
        ? `${flag} ${raw} cannot be written (permission denied); choose another path.`
        : `${flag} ${raw} cannot be written: ${dirname(path)} does not exist or is not writable; create it or choose another path.`,
    );
  }
  return path;
}

/** The nearest existing ancestor of `path` when it is not a directory (a report cannot go under a file). */
async function fileAbove(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir).catch((err: NodeJS.ErrnoException) => String(err.code));
    if (typeof info !== 'string') return info.isDirectory() ? undefined : dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The file a path names, symbolic links and `..` resolved, so that two spellings of one file match. */
async function sameFileKey(path: string): Promise<string> {
  const real = await realpath(path).catch(() => undefined);
  if (real) return real;
  const dir = await realpath(dirname(path)).catch(() => dirname(path));
  return join(dir, basename(path));
}

/**
 * The report options (each a file, or `-` for stdout where allowed), every one checked before any
 * request: writable, and no two naming one file, which the second would overwrite. A new report
 * option is one entry here and one renderer below.
 */
const REPORT_OPTIONS = ['junit', 'json', 'har'] as const satisfies readonly (keyof typeof FLAGS)[];
type ReportOption = (typeof REPORT_OPTIONS)[number];

async function reportPaths(
  values: Partial<Record<ReportOption, string>>,
): Promise<Partial<Record<ReportOption, string>>> {
  const paths: Partial<Record<ReportOption, string>> = {};
  const taken = new Map<string, ReportOption>();
  for (const option of REPORT_OPTIONS) {
    const path = await writablePath(values[option], `--${option}`);
    if (path === undefined) continue;
    paths[option] = path;
    if (path === '-') continue;
    const key = await sameFileKey(path);
    const other = taken.get(key);
    if (other)
      throw new UsageError(
        `--${other} and --${option} both name ${values[option]}; give each report a file of its own.`,
      );
    taken.set(key, option);
  }
  return paths;
}

/**
 * A live progress line on a terminal; in CI logs, a plain line per target at the start, then one
 * every few seconds (operation, done/total, failures), so a five-minute live run is never silent.
 */
function progressReporter(everyMs = PROGRESS_EVERY_MS) {
  const tty = process.stderr.isTTY === true;
  const state = new Map<string, CheckProgress>();
  const announced = new Set<string>();
  const line = (p: CheckProgress) =>
    `${p.target} ${p.done}/${p.total}${p.failures ? ` (${p.failures} failed)` : ''}`;
  const timer = tty
    ? undefined
    : setInterval(() => {
        for (const p of state.values())
          process.stderr.write(
            `checking ${p.target}: ${p.done}/${p.total} cases${p.operationId ? `, last ${p.operationId}` : ''}, ${p.failures} failures so far\n`,
          );
      }, everyMs).unref();
  return {
    onProgress(p: CheckProgress) {
      state.set(p.target, p);
      if (tty) process.stderr.write(`\r\x1b[Kchecking: ${[...state.values()].map(line).join('  ')}`);
      else if (!announced.has(p.target)) {
        announced.add(p.target);
        process.stderr.write(`checking ${p.target}: ${p.total} cases\n`);
      }
    },
    finish(reports: TargetReport[]) {
      if (timer) clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[K');
      else
        for (const r of reports)
          process.stderr.write(`checked ${r.target.name}: ${r.requests} requests in ${r.durationMs} ms\n`);
    },
  };
}

/** --seed, --max-examples, --no-generate: a seed is always chosen here, so it can be printed first. */
function generationOptions(rawSeed: string | undefined, rawMax: string | undefined, off: boolean) {
  if (rawSeed !== undefined && !/^-?[0-9]{1,10}$/.test(rawSeed)) {
    throw new UsageError(`--seed must be a whole number such as 42, not ${JSON.stringify(rawSeed)}.`);
  }
  const seed = rawSeed === undefined ? newSeed() : Number(rawSeed) | 0;
  const maxExamples = positiveInt(rawMax, '--max-examples', 'a whole number from 1 to 100000', 100_000);
  return { seed, generate: !off, ...(maxExamples !== undefined ? { maxExamples } : {}) };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, FLAGS, 'check');
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const urlSource = values['base-url'] !== undefined ? '--base-url' : 'LIVE_PLATFORM_BASE_URL';
  const rawUrl = values['base-url'] ?? process.env.LIVE_PLATFORM_BASE_URL;
  const baseUrl = rawUrl ? baseUrlOption(rawUrl, urlSource) : undefined;
  const tokenSource = values.token !== undefined ? '--token' : 'LIVE_PLATFORM_TOKEN';
  const rawToken = values.token ?? process.env.LIVE_PLATFORM_TOKEN;
  // The servers the checker starts bring their own tokens: only a URL's token is read.
  const token = baseUrl ? tokenOption(rawToken, tokenSource) : rawToken;
  if (baseUrl && !token) {
    throw new UsageError(`no token for ${baseUrl}: set LIVE_PLATFORM_TOKEN (or pass --token).`);
  }
  const kind = targetOption(values.target, baseUrl);
  const maxResponseTimeMs = positiveInt(values['max-response-time'], '--max-response-time');
  const requestTimeoutMs = positiveInt(values['request-timeout'], '--request-timeout');
  const taskTimeoutMs = positiveInt(values['task-timeout'], '--task-timeout');
  const phaseTimeoutMs = positiveInt(values['phase-timeout'], '--phase-timeout');
  const concurrency = positiveInt(values.concurrency, '--concurrency', 'a whole number from 1 to 64', 64);
  const only = values.only;
  if (only !== undefined && !operations.some((o) => o.operationId === only)) {
    throw new UsageError(
      `--only ${JSON.stringify(only)} is not an operationId of the contract; choose one of ${operations.map((o) => o.operationId).join(', ')}.`,
    );
  }
  const leadTenantId = values['lead-tenant'] ?? process.env.LIVE_PLATFORM_LEAD_TENANT;
  if (leadTenantId !== undefined && !UUID.test(leadTenantId)) {
    throw new UsageError(
      `--lead-tenant must be a Microsoft tenant id (a uuid), not ${JSON.stringify(leadTenantId)}.`,
    );
  }
  const generation = generationOptions(values.seed, values['max-examples'], values['no-generate'] === true);
  const paths = await reportPaths(values);
  // Only once every flag is accepted: a flag refused above is one error, not also "ignored".
  warnAboutCheckFlags(values);
  const secrets = [...new Set([rawToken, token].filter((t): t is string => !!t))];

  const recorder = paths.har
    ? new HarRecorder({
        creator: { name: 'live-platform check', version: version() },
        redact: redactor(secrets),
      })
    : undefined;

  const progress = progressReporter();
  const common = {
    onProgress: progress.onProgress,
    ...(recorder ? { onExchange: recorder.observe } : {}),
    ...(maxResponseTimeMs !== undefined ? { maxResponseTimeMs } : {}),
    ...(only !== undefined ? { only } : {}),
    ...(values.strict === true ? { strict: true } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(taskTimeoutMs !== undefined ? { taskTimeoutMs } : {}),
    ...(phaseTimeoutMs !== undefined ? { phaseTimeoutMs } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...generation,
  };
  if (generation.generate !== false)
    process.stderr.write(
      `live-platform check: seed ${generation.seed} (replay this run with --seed ${generation.seed})\n`,
    );
  const interrupt = new AbortController();
  /** 130 after SIGINT, 143 after SIGTERM, as a shell reports a process those signals ended. */
  let signalExit: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalExit !== undefined) return;
    signalExit = signal === 'SIGTERM' ? 143 : 130;
    interrupt.abort();
    process.stderr.write(
      baseUrl
        ? '\nlive-platform check: interrupted; writing the reports of what completed.\n'
        : '\nlive-platform check: interrupted; closing the servers it started and writing the reports of what completed.\n',
    );
    // The run stops in moments; should anything hang, the process ends anyway (the mock's
    // process is killed on exit, src/mock/prism.ts).
    setTimeout(() => process.exit(signalExit), STOP_DEADLINE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Whether Prism is installed is looked up once: the start line and the report say the same.
  const plan = baseUrl ? undefined : embeddedPlan();
  if (plan)
    process.stderr.write(`starting ${plan.targets.join(' and ')}…${process.stderr.isTTY ? '' : '\n'}`);
  let reports: TargetReport[];
  try {
    reports = baseUrl
      ? [
          await checkTarget({
            ...common,
            baseUrl,
            token: token!,
            kind: kind ?? 'live',
            allowWrites: values['allow-writes'] === true,
            signal: interrupt.signal,
            ...(leadTenantId ? { leadTenantId } : {}),
          }),
        ]
      : await checkEmbedded({ ...common, signal: interrupt.signal });
  } catch (err) {
    progress.finish([]);
    if (signalExit !== undefined) return signalExit;
    if (err instanceof ConnectionError) {
      console.error(`live-platform check: ${redact(err.message, secrets)}`);
      return 2;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.finish(reports);

  const notConfigured = baseUrl
    ? []
    : [
        ...(plan?.skipped ?? []),
        'live: not configured (pass --base-url, or set LIVE_PLATFORM_BASE_URL and LIVE_PLATFORM_TOKEN, to check your tenant)',
      ];
  // A setup mistake comes first, before anything else the run prints.
  const setup = reports.filter((r) => r.setupProblem);
  for (const r of setup) console.error(`live-platform check: ${redact(r.setupProblem!, secrets)}`);
  // With `--json -` stdout carries the JSON alone, so the table goes to stderr.
  const table = redact(renderText(reports, { notConfigured }), secrets);
  if (paths.json === '-') process.stderr.write(`${table}\n`);
  else console.log(table);
  const rendered: Record<ReportOption, () => string> = {
    junit: () => renderJUnit(reports),
    json: () => renderJson(reports, { notConfigured }),
    har: () => JSON.stringify(recorder!.toHar(), undefined, 2),
  };
  try {
    for (const option of REPORT_OPTIONS) {
      const path = paths[option];
      if (path === undefined) continue;
      await writeReport(path, redact(rendered[option](), secrets));
    }
  } catch (err) {
    console.error(`live-platform check: could not write a report: ${redact(errorText(err), secrets)}`);
    return 2;
  }
  if (signalExit !== undefined) return signalExit;
  // A refused token or a wrong base URL fails every check; that is the setup's fault, not the server's.
  if (setup.length) return 2;
  return reports.every(isConformant) ? 0 : 1;
}
