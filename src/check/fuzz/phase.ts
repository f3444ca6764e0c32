// The generated phase of a check: per operation, fast-check properties over valid requests and
// over requests that break one keyword, every response checked as in the deterministic phase. A
// failure is shrunk (fast-check's own shrinking) to the smallest request that still fails, and that
// request is what the report and its curl line show. One seed decides every generated value.
import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { operationById, operations, type OperationInfo } from '../../contract/index.js';
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
  withFreshNames,
  withKnownIds,
  withReplays,
  type GeneratedCase,
  type RequestOptions,
} from './requests.js';
import { runSequences } from './sequence.js';
import { followTask, type WorkflowContext } from '../arazzo.js';
import { readTaskId } from '../../internal/task-status.js';
import { KnownIds } from './links.js';
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

/** The names one operation's properties sent and what the server said of them. */
interface OperationNames {
  /** Names of accepted writes, for the report's list of what a tenant now holds. */
  created: string[];
  /** Lower-cased: names the run created or the server answered 409 to, in any letter case. */
  taken: Set<string>;
  options: RequestOptions;
}

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
  names: OperationNames,
  /** performance.now() when the generated phase started, for firstFailureMs. */
  phaseStarted: number,
  /** Writes the server accepted, for later cases to send again (requests.ts withReplays). */
  accepted?: GeneratedCase[],
  /** Cases run before the generated ones (requests.ts edgeCases). */
  examples: GeneratedCase[] = [],
  /** Follows a task an accepted write started (undefined where tasks cannot be followed). */
  tasks?: TaskFollower,
  /** Ids the run's answers gave, for later cases to use (links.ts). */
  ids?: KnownIds,
): Promise<void> {
  const tally: Tally = { passed: new Map(), lenient: new Map() };
  const budget = ctx.maxExamples + SHRINK_BUDGET;
  let calls = 0;
  let throttled = 0;
  /** Why generation for this operation stopped early; every later run then passes without a request. */
  let stopped: string | undefined;
  const caseName = `generated: ${kind} requests`;
  const isTaken = (name: string) => names.taken.has(name.toLowerCase());
  const property = fc.asyncProperty(arbitrary, async (drawn) => {
    stopIfAborted(ctx.signal);
    // Freshness is part of the case, not of the shrinker: a drawn or shrunk case whose name the run
    // already holds gets a fresh one here, so no candidate ends at a 409 that passes for it.
    const c = drawn && withFreshNames(op, drawn, isTaken, names.options);
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
    if (ex.response && is2xx(ex.response.status)) ids?.note(op.operationId, json);
    if (tasks && isWrite(op) && ex.response && is2xx(ex.response.status)) {
      const taskId = readTaskId(json);
      if (taskId !== undefined) tasks.follow(op, taskId);
    }
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
    if ((is2xx(status) || status === 409) && isWrite(op))
      for (const n of namesIn(op, c.request.body)) names.taken.add(n.toLowerCase());
    if (is2xx(status) && isWrite(op)) {
      names.created.push(...namesIn(op, c.request.body));
      // Frozen from the first failure on: a shrink candidate then replays what the failing case
      // replayed, not a write some earlier candidate made.
      if (accepted && !tally.lastFailure && accepted.length < MAX_REPLAYS) {
        const { repeats: _repeats, ...sent } = c;
        accepted.push(sent);
      }
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

interface TaskFollower {
  /** Starts following a task to its end; returns at once (a task can take seconds). */
  follow(op: OperationInfo, taskId: string): void;
  /** Waits for every task followed, then records what they did. */
  settle(): Promise<void>;
}

/**
 * Every task a generated write starts is polled to its end and checked (task_lifecycle, with
 * arazzo.ts followTask: its bounds, floors, the run's task timeout and the phase's signal), in
 * parallel with the requests that follow, so a task's seconds do not add up per case. Recorded
 * under the operation that started the task: each failure (the first per operation and check),
 * the passes as one line. Undefined on the mock (stateless) or without the run's poll settings.
 */
function taskFollower(
  ctx: GeneratedContext,
  summary: GeneratedSummary,
  ids: KnownIds,
): TaskFollower | undefined {
  const { http, pollIntervalMs, taskTimeoutMs } = ctx;
  if (ctx.targetKind === 'mock' || !http || pollIntervalMs === undefined || taskTimeoutMs === undefined)
    return undefined;
  // The deterministic task workflow already failed here: following more tasks would only repeat
  // that failure and its waits (as the sequences, which are skipped then too).
  if (ctx.tasksBroken) return undefined;
  const caseName = 'generated: the tasks of accepted writes';
  const pending: Promise<void>[] = [];
  const errors: unknown[] = [];
  const followed = new Map<string, number>();
  const passed = new Map<string, number>();
  const reported = new Set<string>();
  const note = (operationId: string, o: CheckOutcome) => {
    if (o.verdict === 'passed') return;
    const key = `${operationId} ${o.check} ${o.verdict}`;
    if (reported.has(key)) return;
    reported.add(key);
    ctx.record({ ...o, operationId, caseName });
  };
  /**
   * Set once a task used up the task timeout without ending cleanly: each later task would wait it
   * out again. A quick failure (a terminal task that changed) does not stop the following.
   */
  let broken = false;
  const unfollowed = new Map<string, number>();
  return {
    follow(op, taskId) {
      if (broken) {
        unfollowed.set(op.operationId, (unfollowed.get(op.operationId) ?? 0) + 1);
        return;
      }
      summary.cases++;
      const startedAt = Date.now();
      followed.set(op.operationId, (followed.get(op.operationId) ?? 0) + 1);
      const workflowCtx: WorkflowContext = {
        ...ctx,
        http,
        pollIntervalMs,
        taskTimeoutMs,
        writesAllowed: true,
        exchange: async (poll, request) => {
          const sent = await ctx.send(request);
          const status = sent.exchange.response?.status;
          if (status !== undefined && is2xx(status)) ids.note(poll.operationId, sent.json);
          const outcomes = applyChecks(
            {
              operation: poll,
              caseName,
              kind: 'workflow',
              targetKind: ctx.targetKind,
              ...(ctx.strict ? { strict: true } : {}),
            },
            sent.exchange,
            sent.json,
          );
          for (const o of outcomes) note(op.operationId, o);
          return sent;
        },
        record: (o) => {
          if (o.check === 'task_lifecycle' && o.verdict === 'passed')
            passed.set(op.operationId, (passed.get(op.operationId) ?? 0) + 1);
          else note(op.operationId, o);
        },
      };
      pending.push(
        followTask(workflowCtx, taskId, caseName).then(
          (result) => {
            if (result.failure !== undefined && Date.now() - startedAt >= taskTimeoutMs) broken = true;
          },
          // Stopped by the phase's signal: the run reports the phase as incomplete.
          // Anything else is the checker's own error, thrown by settle() (not left unhandled here).
          (err: unknown) => {
            if (!ctx.signal?.aborted) errors.push(err);
          },
        ),
      );
    },
    async settle() {
      await Promise.all(pending);
      if (errors.length) throw errors[0];
      for (const [operationId, n] of unfollowed)
        ctx.record(
          skipped(
            operationId,
            'task_lifecycle',
            caseName,
            `${n} later tasks were not followed: a task of a generated write already did not end within the task timeout (see task_lifecycle)`,
          ),
        );
      for (const [operationId, n] of followed) {
        const ended = passed.get(operationId) ?? 0;
        // A failure of one task is the operation's verdict; the passes are not listed beside it.
        if (ended && !reported.has(`${operationId} task_lifecycle failed`))
          ctx.record({
            operationId,
            check: 'task_lifecycle',
            verdict: 'passed',
            caseName,
            reason: `${ended} of ${n} tasks started by generated writes ended and stayed ended (seed ${ctx.seed})`,
          });
      }
    },
  };
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
  const ids = new KnownIds();
  const tasks = taskFollower(ctx, summary, ids);
  // An operation whose path takes ids other writes' answers give runs after those writes' valid
  // requests, so which known id a case draws depends on the seed, not on which request came first.
  const writeSources = (operationId: string) =>
    ids.sourcesOf(operationId).filter((s) => s !== operationId && isWrite(operationById(s)));
  const waitsFor = (from: string, to: string, seen = new Set<string>()): boolean =>
    writeSources(from).some((s) => s === to || (!seen.has(s) && (seen.add(s), waitsFor(s, to, seen))));
  const validDone = new Map(
    operations.map((op) => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return [op.operationId, { promise, resolve }] as const;
    }),
  );
  async function runOperation(op: OperationInfo, i: number) {
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
    const names: OperationNames = { created: [], taken: new Set(), options: prefix };
    const accepted: GeneratedCase[] = [];
    await runProperty(
      ctx,
      op,
      'valid',
      writes
        ? withReplays(op, withKnownIds(op, validCases(op, prefix), ids), accepted, prefix)
        : withKnownIds(op, validCases(op, prefix), ids),
      streamSeed(ctx.seed, i, 0),
      summary,
      names,
      started,
      accepted,
      edgeCases(op, prefix),
      tasks,
      ids,
    );
    validDone.get(op.operationId)!.resolve();
    const invalid = invalidCases(op, {
      ...prefix,
      asciiKeys: ctx.targetKind === 'mock',
      // Lenient rules are never sent as writes to a server the checker did not start; the mock
      // is not asked to enforce what Prism cannot.
      keep: (b, lenient) =>
        (embedded || !writes || !lenient) && !(ctx.targetKind === 'mock' && PRISM_UNENFORCED.has(b.keyword)),
    });
    if (invalid)
      await runProperty(
        ctx,
        op,
        'invalid',
        invalid,
        streamSeed(ctx.seed, i, 1),
        summary,
        names,
        started,
        undefined,
        [],
        tasks,
        ids,
      );
    // What a tenant now holds is listed; a server the checker started is thrown away with it.
    if (names.created.length && !embedded) ctx.created(op.operationId, [...new Set(names.created)]);
  }
  await Promise.all([
    sequences,
    ...operations.map(async (op, i) => {
      try {
        await Promise.all(
          writeSources(op.operationId)
            .filter((s) => !waitsFor(s, op.operationId))
            .map((s) => validDone.get(s)!.promise),
        );
        await runOperation(op, i);
      } finally {
        validDone.get(op.operationId)!.resolve();
      }
    }),
  ]);
  await tasks?.settle();
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}
