import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { operations, UUID } from '../../contract/index.js';
import {
  checkEmbedded,
  checkTarget,
  ConnectionError,
  isConformant,
  redact,
  renderJson,
  renderJUnit,
  renderText,
  type TargetReport,
} from '../../check/index.js';
import { DEFAULT_MAX_EXAMPLES, newSeed } from '../../check/fuzz/index.js';
import { parse, UsageError } from '../args.js';

export const usage = `Usage: live-platform check [--base-url URL] [--token T] [--allow-writes] [--junit FILE]
                          [--json FILE] [--max-response-time ms] [--only operationId]
                          [--lead-tenant msTenantId] [--seed S] [--max-examples N] [--no-generate]

Checks that a server honours the contract. Without a URL it starts the Prism mock and the sandbox
and checks both; with one it checks that server.

  --base-url URL           server to check (or LIVE_PLATFORM_BASE_URL)
  --token T                its bearer token (or LIVE_PLATFORM_TOKEN, which keeps it out of shell history)
  --allow-writes           send requests that create customers and tasks to a server the checker did
                           not start; created names start with a run prefix (ct + 6 characters)
  --lead-tenant ID         msTenantId of an Operator Connect lead the lead workflow may convert
                           (or LIVE_PLATFORM_LEAD_TENANT); needs --allow-writes
  --junit FILE             write a JUnit XML report (a testcase per operation x check)
  --json FILE              write a JSON report
  --max-response-time ms   fail any response slower than this
  --only operationId       check one operation (${operations.map((o) => o.operationId).join(', ')})
  --seed S                 seed of the generated cases (printed on every run; the same seed replays
                           the same requests and the same minimal failure)
  --max-examples N         generated valid and invalid requests per operation (default ${DEFAULT_MAX_EXAMPLES};
                           200 or more for a deeper run)
  --no-generate            only the deterministic cases (one per constraint) and the workflows

Exit codes: 0 conformant, 1 a check failed, 2 usage or connection error.`;

function baseUrlOption(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--base-url must be an http(s) URL such as https://live.example.com, not ${JSON.stringify(raw)}.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--base-url must start with http:// or https://, not ${JSON.stringify(url.protocol)}.`,
    );
  }
  if (url.username || url.password) {
    throw new UsageError('--base-url must not carry credentials; pass the token with LIVE_PLATFORM_TOKEN.');
  }
  if (url.search || url.hash)
    throw new UsageError('--base-url must not have a query or fragment; give the API root only.');
  return url.toString().replace(/\/+$/, '');
}

function positiveInt(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(
      `${flag} must be a whole number of milliseconds above 0, not ${JSON.stringify(raw)}.`,
    );
  }
  return Number(raw);
}

/** Fails before any request when a report could not be written, so a long run is not wasted. */
async function writablePath(raw: string | undefined, flag: string): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  if (!raw.trim()) throw new UsageError(`${flag} needs a file path.`);
  const path = resolve(raw);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory())
    throw new UsageError(`${flag} ${raw} is a directory; give a file path such as ${raw}/report.xml.`);
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

/** A live progress line on a terminal, or a few plain lines in CI logs. */
function progressReporter() {
  const tty = process.stderr.isTTY === true;
  const state = new Map<string, string>();
  const announced = new Set<string>();
  return {
    onProgress({
      target,
      done,
      total,
      failures,
    }: {
      target: string;
      done: number;
      total: number;
      failures: number;
    }) {
      if (tty) {
        state.set(target, `${target} ${done}/${total}${failures ? ` (${failures} failed)` : ''}`);
        process.stderr.write(`\r\x1b[Kchecking: ${[...state.values()].join('  ')}`);
      } else if (!announced.has(target)) {
        announced.add(target);
        process.stderr.write(`checking ${target}: ${total} cases\n`);
      }
    },
    finish(reports: TargetReport[]) {
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
  let maxExamples: number | undefined;
  if (rawMax !== undefined) {
    if (!/^[0-9]+$/.test(rawMax) || Number(rawMax) < 1 || Number(rawMax) > 100_000)
      throw new UsageError(
        `--max-examples must be a whole number from 1 to 100000, not ${JSON.stringify(rawMax)}.`,
      );
    maxExamples = Number(rawMax);
  }
  return { seed, generate: !off, ...(maxExamples !== undefined ? { maxExamples } : {}) };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      'base-url': { type: 'string' },
      token: { type: 'string' },
      'allow-writes': { type: 'boolean' },
      junit: { type: 'string' },
      json: { type: 'string' },
      'max-response-time': { type: 'string' },
      only: { type: 'string' },
      'lead-tenant': { type: 'string' },
      seed: { type: 'string' },
      'max-examples': { type: 'string' },
      'no-generate': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const rawUrl = values['base-url'] ?? process.env.LIVE_PLATFORM_BASE_URL;
  const baseUrl = rawUrl ? baseUrlOption(rawUrl) : undefined;
  const token = values.token ?? process.env.LIVE_PLATFORM_TOKEN;
  if (baseUrl && !token) {
    throw new UsageError(`no token for ${baseUrl}: set LIVE_PLATFORM_TOKEN (or pass --token).`);
  }
  const maxResponseTimeMs = positiveInt(values['max-response-time'], '--max-response-time');
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
  const junitPath = await writablePath(values.junit, '--junit');
  const jsonPath = await writablePath(values.json, '--json');
  const secrets = token ? [token] : [];

  const progress = progressReporter();
  const common = {
    onProgress: progress.onProgress,
    ...(maxResponseTimeMs !== undefined ? { maxResponseTimeMs } : {}),
    ...(only !== undefined ? { only } : {}),
    ...generation,
  };
  if (generation.generate !== false)
    process.stderr.write(
      `live-platform check: seed ${generation.seed} (replay this run with --seed ${generation.seed})\n`,
    );
  // Ctrl-C closes the embedded servers first, so that no Prism process outlives the command.
  const interrupt = new AbortController();
  const onSignal = () => {
    interrupt.abort();
    process.stderr.write('\nlive-platform check: interrupted; closing the servers it started.\n');
    // The servers close as soon as they have started; give a stuck close a few seconds at most.
    setTimeout(() => process.exit(130), 5000).unref();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (!baseUrl)
    process.stderr.write(`starting the Prism mock and the sandbox…${process.stderr.isTTY ? '' : '\n'}`);
  let reports: TargetReport[];
  try {
    reports = baseUrl
      ? [
          await checkTarget({
            ...common,
            baseUrl,
            token: token!,
            kind: 'live',
            allowWrites: values['allow-writes'] === true,
            ...(leadTenantId ? { leadTenantId } : {}),
          }),
        ]
      : await checkEmbedded({ ...common, signal: interrupt.signal });
  } catch (err) {
    progress.finish([]);
    if (interrupt.signal.aborted) return 130;
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
  if (interrupt.signal.aborted) return 130;

  const notConfigured = baseUrl
    ? []
    : [
        'live: not configured (pass --base-url, or set LIVE_PLATFORM_BASE_URL and LIVE_PLATFORM_TOKEN, to check your tenant)',
      ];
  console.log(redact(renderText(reports, { notConfigured }), secrets));
  try {
    if (junitPath) await writeFile(junitPath, redact(renderJUnit(reports), secrets));
    if (jsonPath) await writeFile(jsonPath, redact(renderJson(reports, { notConfigured }), secrets));
  } catch (err) {
    console.error(`live-platform check: could not write a report: ${(err as Error).message}`);
    return 2;
  }
  return reports.every(isConformant) ? 0 : 1;
}
