import { operations, UUID } from '../../contract/index.js';
import {
  checkEmbedded,
  checkTarget,
  embeddedPlan,
  isConformant,
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
import { normalizeBaseUrl } from '../../internal/base-url.js';
import { bareToken } from '../../internal/token.js';
import { errorText } from '../../internal/error-text.js';
import { redactor } from '../../internal/redact.js';
import {
  flagOrEnv,
  flags,
  msOption,
  onStopSignal,
  parse,
  printed,
  usageOf,
  UsageError,
  wholeNumberOption,
} from '../args.js';
import { checkFlagWarnings } from '../check-notes.js';
import { deliver, harRecorder, reportPaths } from '../reports.js';

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

const FLAGS = {
  ...flags('string', 'base-url', 'token', 'target', 'junit', 'json', 'max-response-time', 'only'),
  ...flags('string', 'lead-tenant', 'request-timeout', 'task-timeout', 'phase-timeout', 'concurrency'),
  ...flags('string', 'seed', 'max-examples', 'har'),
  ...flags('boolean', 'allow-writes', 'strict', 'no-generate'),
};

const TARGET_KINDS: readonly TargetKind[] = ['live', 'sandbox', 'mock'];
/** After SIGINT or SIGTERM the process ends within this, whatever is still running. */
const STOP_DEADLINE_MS = 1_800;
/** A line on stderr this often when stderr is not a terminal, so a long CI run is never silent. */
const PROGRESS_EVERY_MS = 5_000;

/** A live progress line on a terminal; in CI logs, a line per target at its start, then one every few seconds. */
function progressReporter() {
  const tty = process.stderr.isTTY === true;
  const state = new Map<string, CheckProgress>();
  const line = (p: CheckProgress) =>
    `${p.target} ${p.done}/${p.total}${p.failures ? ` (${p.failures} failed)` : ''}`;
  const timer = tty
    ? undefined
    : setInterval(() => {
        for (const p of state.values())
          process.stderr.write(
            `checking ${p.target}: ${p.done}/${p.total} cases${p.operationId ? `, last ${p.operationId}` : ''}, ${p.failures} failures so far\n`,
          );
      }, PROGRESS_EVERY_MS).unref();
  return {
    onProgress(p: CheckProgress) {
      const first = !state.has(p.target);
      state.set(p.target, p);
      if (tty) process.stderr.write(`\r\x1b[Kchecking: ${[...state.values()].map(line).join('  ')}`);
      else if (first) process.stderr.write(`checking ${p.target}: ${p.total} cases\n`);
    },
    finish(reports: TargetReport[]) {
      clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[K');
      else
        for (const r of reports)
          process.stderr.write(`checked ${r.target.name}: ${r.requests} requests in ${r.durationMs} ms\n`);
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, FLAGS, 'check');
  if (values.help) return printed(usage);
  const url = flagOrEnv(values['base-url'], '--base-url', 'LIVE_PLATFORM_BASE_URL');
  const baseUrl = url.raw ? normalizeBaseUrl(url.raw, url.source) : undefined;
  const { raw: rawToken, source } = flagOrEnv(values.token, '--token', 'LIVE_PLATFORM_TOKEN');
  // The servers the checker starts bring their own tokens: only a URL's token is read.
  const token =
    baseUrl && rawToken !== undefined
      ? usageOf(() => bareToken(rawToken, source), '', ' Pass the token exactly as it was issued.')
      : rawToken;
  if (baseUrl && !token) {
    throw new UsageError(`no token for ${baseUrl}: set LIVE_PLATFORM_TOKEN (or pass --token).`);
  }
  const kind = values.target as TargetKind | undefined;
  if (kind !== undefined && !TARGET_KINDS.includes(kind))
    throw new UsageError(`--target must be one of ${TARGET_KINDS.join(', ')}, not ${JSON.stringify(kind)}.`);
  if (kind !== undefined && !baseUrl)
    throw new UsageError(
      '--target says what the server at --base-url is; without a URL the checker starts its own mock and sandbox.',
    );
  const only = values.only;
  if (only !== undefined && !operations.some((o) => o.operationId === only)) {
    throw new UsageError(
      `--only ${JSON.stringify(only)} is not an operationId of the contract; choose one of ${operations.map((o) => o.operationId).join(', ')}.`,
    );
  }
  const lead = flagOrEnv(values['lead-tenant'], '--lead-tenant', 'LIVE_PLATFORM_LEAD_TENANT');
  const leadTenantId = lead.raw;
  if (leadTenantId !== undefined && !UUID.test(leadTenantId)) {
    throw new UsageError(
      `${lead.source} must be a Microsoft tenant id (a uuid), not ${JSON.stringify(leadTenantId)}.`,
    );
  }
  // A seed is always chosen here, so it can be printed first.
  if (values.seed !== undefined && !/^-?[0-9]{1,10}$/.test(values.seed)) {
    throw new UsageError(`--seed must be a whole number such as 42, not ${JSON.stringify(values.seed)}.`);
  }
  const options = {
    maxResponseTimeMs: msOption(values['max-response-time'], '--max-response-time'),
    requestTimeoutMs: msOption(values['request-timeout'], '--request-timeout'),
    taskTimeoutMs: msOption(values['task-timeout'], '--task-timeout'),
    phaseTimeoutMs: msOption(values['phase-timeout'], '--phase-timeout'),
    concurrency: wholeNumberOption(values.concurrency, '--concurrency', 1, 64),
    maxExamples: wholeNumberOption(values['max-examples'], '--max-examples', 1, 100_000),
    seed: values.seed === undefined ? newSeed() : Number(values.seed) | 0,
    generate: !values['no-generate'],
    only,
    strict: values.strict,
  };
  const paths = await reportPaths(values, ['junit', 'json', 'har']);
  // Only once every flag is accepted: a flag refused above is one error, not also "ignored".
  for (const w of checkFlagWarnings(values)) console.error(`live-platform check: warning: ${w}`);
  const secrets = [...new Set([rawToken, token].filter((t): t is string => !!t))];
  const hide = redactor(secrets);
  const recorder = paths.har ? harRecorder('check', hide) : undefined;

  const progress = progressReporter();
  if (options.generate)
    process.stderr.write(
      `live-platform check: seed ${options.seed} (replay this run with --seed ${options.seed})\n`,
    );
  const interrupt = new AbortController();
  /** 130 after SIGINT, 143 after SIGTERM, as a shell reports a process those signals ended. */
  let signalExit: number | undefined;
  const stopListening = onStopSignal((signal) => {
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
  });
  const common = {
    ...options,
    onProgress: progress.onProgress,
    onExchange: recorder?.observe,
    signal: interrupt.signal,
  };
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
            leadTenantId,
          }),
        ]
      : await checkEmbedded(common);
  } catch (err) {
    progress.finish([]);
    if (signalExit !== undefined) return signalExit;
    // An unreachable server (ConnectionError) or anything else: one line, exit 2, never the token.
    throw new Error(hide(errorText(err)));
  } finally {
    stopListening();
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
  for (const r of setup) console.error(`live-platform check: ${hide(r.setupProblem!)}`);
  const written = await deliver(
    'check',
    renderText(reports, { notConfigured }),
    paths,
    {
      junit: () => renderJUnit(reports),
      json: () => renderJson(reports, { notConfigured }),
      har: () => JSON.stringify(recorder!.toHar(), undefined, 2),
    },
    secrets,
  );
  if (!written) return 2;
  if (signalExit !== undefined) return signalExit;
  // A refused token or a wrong base URL fails every check; that is the setup's fault, not the server's.
  if (setup.length) return 2;
  return reports.every(isConformant) ? 0 : 1;
}
