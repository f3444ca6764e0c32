// The generated phase of a check: per operation, fast-check properties over valid requests and
// over requests that break one keyword, every response checked as in the deterministic phase. A
// failure is shrunk (fast-check's own shrinking) to the smallest request that still fails, and that
// request is what the report and its curl line show. One seed decides every generated value.
import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { operations, type OperationInfo } from '../../contract/index.js';
import { nextAskWait, parseRetryAfter, sleep } from '../../internal/timers.js';
import { isWrite } from '../cases.js';
import { applyChecks, primaryCheck, skipped } from '../checks.js';
import { namesIn } from '../names.js';
import type { CheckName, CheckOutcome, CheckRequest, GeneratedSummary } from '../types.js';
import type { GeneratedContext } from './context.js';
import {
  edgeCases,
  invalidCases,
  isValidCase,
  MAX_REPLAYS,
  validCases,
  withReplays,
  type GeneratedCase,
} from './requests.js';
import { runSequences } from './sequence.js';
import { stopIfAborted, stopOn } from '../stop.js';
import { is2xx } from '../../internal/status.js';

/** Valid and invalid requests per operation by default: a sandbox run stays well under 10 s. */
export const DEFAULT_MAX_EXAMPLES = 25;
/** Requests spent on shrinking one failure at most; the smallest failure found by then is reported. */
export const SHRINK_BUDGET = 300;

/**
 * Keywords Prism 5.14 does not enforce on requests (its validator ignores `unevaluatedProperties`,
 * so a customer variable that is not a string passes the mock). The sandbox enforces them.
 */
const PRISM_UNENFORCED = new Set(['unevaluatedProperties']);

/** A seed for a run that was given none: printed, so that the run can be replayed. */
export const newSeed = () => randomInt(0, 2 ** 31 - 1);

/** The seed of operation `i` and property `p`: independent streams, each replayable on its own. */
const streamSeed = (seed: number, i: number, p: number) =>
  (Math.imul(seed ^ 0x9e3779b9, 31) + i * 7919 + p * 104729) | 0;

/**
 * 429s in a row after which generation for an operation stops: a server that throttles every request
 * would otherwise get every generated request (and the shrinking's) with only Retry-After between.
 */
export const MAX_THROTTLED = 3;
/** The least wait after a 429, whatever Retry-After says (`0`, a past date): no answer makes a storm. */
const MIN_THROTTLE_WAIT_MS = 1_000;

interface Tally {
  passed: Map<CheckName, number>;
  /** The first warning of each other check (an answer breaking only our own response rules). */
  lenient: Map<CheckName, CheckOutcome>;
  lastFailure?: { outcomes: CheckOutcome[]; request: CheckRequest; label?: string };
  firstFailureMs?: number;
  firstFailureAt?: number;
}

async function runProperty(
  ctx: GeneratedContext,
  op: OperationInfo,
  kind: 'valid' | 'invalid',
  arbitrary: fc.Arbitrary<GeneratedCase | undefined>,
  seed: number,
  summary: GeneratedSummary,
  createdNames: string[],
  /** performance.now() when the generated phase started, for firstFailureMs. */
  phaseStarted: number,
  /** Writes the server accepted, for later cases to send again (requests.ts withReplays). */
  accepted?: GeneratedCase[],
  /** Cases run before the generated ones (requests.ts edgeCases). */
  examples: GeneratedCase[] = [],
): Promise<void> {
  const tally: Tally = { passed: new Map(), lenient: new Map() };
  const budget = ctx.maxExamples + SHRINK_BUDGET;
  let calls = 0;
  let throttled = 0;
  /** Why generation for this operation stopped early; every later run then passes without a request. */
  let stopped: string | undefined;
  const caseName = `generated: ${kind} requests`;
  const property = fc.asyncProperty(arbitrary, async (c) => {
    stopIfAborted(ctx.signal);
    if (!c) {
      summary.discarded++;
      fc.pre(false);
      return true;
    }
    if (kind === 'valid' && !isValidCase(op, c.parts)) {
      summary.discarded++;
      fc.pre(false);
    }
    // Past the budget every further shrink candidate counts as passing, so shrinking ends.
    if (stopped !== undefined || ++calls > budget) return true;
    summary.cases++;
    const { exchange: ex, json } = await ctx.send(c.request).catch(stopOn(ctx.signal));
    const outcomes = applyChecks(
      {
        operation: op,
        caseName,
        kind: kind === 'valid' ? 'positive' : 'negative',
        targetKind: ctx.targetKind,
        // Generated ids may name nothing the server holds, generated names one it already has.
        stateUnknown: true,
        ...(ctx.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: ctx.maxResponseTimeMs } : {}),
        // applyChecks decides lenient or failed from the evidence, --strict included, as for the
        // deterministic negative cases.
        ...(c.broken ? { evidence: c.broken.evidence } : {}),
        ...(ctx.strict ? { strict: true } : {}),
      },
      ex,
      json,
    );
    const res = ex.response;
    if (res === undefined) {
      // No complete answer (the request deadline, a reset): shrinking would only wait it out again
      // and again, so the failure is recorded as it is and generation for this operation ends.
      for (const o of outcomes) if (o.verdict === 'failed') ctx.record(o);
      stopped = `no complete response to a generated request (${ex.networkError ?? 'no answer'}); the failure is reported as it is, not shrunk`;
      return true;
    }
    const status = res.status;
    if (status === 429) {
      if (++throttled >= MAX_THROTTLED) {
        stopped = `the server answered 429 to ${MAX_THROTTLED} generated requests in a row; run again later, or with a lower --max-examples`;
        return true;
      }
      // The shared floor (src/internal/timers.ts), and no wait past 30 s: generation goes on.
      await sleep(
        Math.min(nextAskWait(MIN_THROTTLE_WAIT_MS, 0, parseRetryAfter(res.headers['retry-after'])), 30_000),
        ctx.signal,
      ).catch(stopOn(ctx.signal));
    } else throttled = 0;
    if (is2xx(status) && isWrite(op)) {
      createdNames.push(...namesIn(op, c.request.body));
      // Frozen from the first failure on: a shrink candidate then replays what the failing case
      // replayed, not a write some earlier candidate made.
      if (accepted && !tally.lastFailure && accepted.length < MAX_REPLAYS) accepted.push(c);
    }
    // A server that ignores a rule we chose (not the vendor's) gets a warning, not a failure: listed
    // in the summary, not counted as passed.
    if (c.broken) {
      const i = outcomes.findIndex((o) => o.check === 'negative_data_rejection' && o.verdict === 'lenient');
      if (i >= 0) {
        outcomes.splice(i, 1);
        if (summary.warnings.length < 50)
          summary.warnings.push({
            operationId: op.operationId,
            label: c.broken.label,
            evidence: c.broken.evidence,
            status,
            request: c.request,
          });
      }
    }
    const failed = outcomes.filter((o) => o.verdict === 'failed');
    if (failed.length) {
      tally.firstFailureMs ??= Math.round(performance.now() - phaseStarted);
      tally.firstFailureAt ??= calls;
      tally.lastFailure = {
        outcomes: failed,
        request: c.request,
        ...(c.broken ? { label: c.broken.label } : {}),
      };
      return false;
    }
    for (const o of outcomes)
      if (o.verdict === 'passed') tally.passed.set(o.check, (tally.passed.get(o.check) ?? 0) + 1);
      else if (o.verdict === 'lenient' && !tally.lenient.has(o.check)) tally.lenient.set(o.check, o);
    return true;
  });
  const details = await fc.check(property, {
    seed,
    numRuns: ctx.maxExamples,
    examples: examples.map((c) => [c] as [GeneratedCase]),
    // Invalid requests are drawn on top of valid ones; some land where no parent holds them.
    maxSkipsPerRun: 20,
  });
  const failure = details.failed && details.counterexample ? tally.lastFailure : undefined;
  const minimal = `generated: ${kind} request, minimal after ${details.numShrinks} shrinks (seed ${ctx.seed})`;
  if (failure) {
    for (const o of failure.outcomes)
      ctx.record({ ...o, caseName: failure.label ? `${minimal}: ${failure.label}` : minimal });
    summary.failures.push({
      operationId: op.operationId,
      kind,
      ...(failure.label ? { label: failure.label } : {}),
      request: failure.request,
      numShrinks: details.numShrinks,
      checks: [...new Set(failure.outcomes.map((o) => o.check))],
      ...(tally.firstFailureMs !== undefined ? { firstFailureMs: tally.firstFailureMs } : {}),
      ...(tally.firstFailureAt !== undefined ? { firstFailureAt: tally.firstFailureAt } : {}),
    });
  } else if (stopped !== undefined || details.failed) {
    // Stopped, or too many generated requests discarded (or an error of the checker itself): said, not hidden.
    const why =
      stopped ??
      String(details.errorInstance ?? `${details.numSkips} generated requests were discarded`).split('\n')[0];
    const check = primaryCheck(kind === 'valid' ? 'positive' : 'negative');
    ctx.record(skipped(op.operationId, check, caseName, `generation stopped: ${why}`));
  }
  const failedChecks = new Set(failure?.outcomes.map((o) => o.check));
  for (const [check, o] of tally.lenient) if (!failedChecks.has(check)) ctx.record(o);
  for (const [check, n] of tally.passed) {
    if (failedChecks.has(check)) continue;
    ctx.record({
      operationId: op.operationId,
      check,
      verdict: 'passed',
      caseName,
      reason: `${n} generated ${kind} requests (seed ${ctx.seed})`,
    });
  }
}

/** Runs the generated phase against one server and says what it found; records outcomes as it goes. */
export async function runGenerated(ctx: GeneratedContext): Promise<GeneratedSummary> {
  const started = performance.now();
  const summary: GeneratedSummary = {
    seed: ctx.seed,
    maxExamples: ctx.maxExamples,
    cases: 0,
    discarded: 0,
    durationMs: 0,
    failures: [],
    warnings: [],
  };
  const embedded = ctx.targetKind !== 'live';
  const prefix = embedded ? {} : { prefix: ctx.prefix };
  const sequences = runSequences(ctx, streamSeed(ctx.seed, operations.length, 2), summary);
  await Promise.all([
    sequences,
    ...operations.map(async (op, i) => {
      if (ctx.only && op.operationId !== ctx.only) return;
      const writes = isWrite(op);
      if (writes && !ctx.writesAllowed) {
        ctx.record(
          skipped(
            op.operationId,
            primaryCheck('positive'),
            'generated: valid requests',
            `not sent: generated ${op.method} ${op.path} requests may write, and this server was not started by the checker; pass --allow-writes to send them`,
          ),
        );
        return;
      }
      const names: string[] = [];
      const accepted: GeneratedCase[] = [];
      await runProperty(
        ctx,
        op,
        'valid',
        writes ? withReplays(op, validCases(op, prefix), accepted, prefix) : validCases(op, prefix),
        streamSeed(ctx.seed, i, 0),
        summary,
        names,
        started,
        accepted,
        edgeCases(op, prefix),
      );
      const invalid = invalidCases(op, {
        ...prefix,
        asciiKeys: ctx.targetKind === 'mock',
        // Lenient rules are never sent as writes to a server the checker did not start; the mock
        // is not asked to enforce what Prism cannot.
        keep: (b, lenient) =>
          (embedded || !writes || !lenient) &&
          !(ctx.targetKind === 'mock' && PRISM_UNENFORCED.has(b.keyword)),
      });
      if (invalid)
        await runProperty(ctx, op, 'invalid', invalid, streamSeed(ctx.seed, i, 1), summary, names, started);
      // What a tenant now holds is listed; a server the checker started is thrown away with it.
      if (names.length && !embedded) ctx.created(op.operationId, [...new Set(names)]);
    }),
  ]);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}
