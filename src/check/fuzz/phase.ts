// The generated phase of a check: per operation, fast-check properties over valid requests and
// over requests that break one keyword, every response checked as in the deterministic phase. A
// failure is shrunk (fast-check's own shrinking) to the smallest request that still fails, and that
// request is what the report and its curl line show. One seed decides every generated value.
import { randomInt } from 'node:crypto';
import type fc from 'fast-check';
import { operationById, operations, type OperationInfo } from '../../contract/index.js';
import { nextAskWait, parseRetryAfter, sleep } from '../../internal/timers.js';
import { readTaskId } from '../../internal/task-status.js';
import { is2xx } from '../../internal/status.js';
import { followTask } from '../arazzo.js';
import { isWrite } from '../cases.js';
import { primaryCheck, skipped } from '../checks.js';
import { namesIn } from '../names.js';
import { stopOn } from '../stop.js';
import type { CheckOutcome, GeneratedSummary } from '../types.js';
import { judge, runProperty, workflowContext, type GeneratedContext } from './context.js';
import { KnownIds } from './links.js';
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
} from './requests.js';
import { runSequences } from './sequence.js';

/** Valid and invalid requests per operation by default: a sandbox run stays well under 10 s. */
export const DEFAULT_MAX_EXAMPLES = 25;
/** Requests spent on shrinking one failure at most; the smallest failure found by then is reported. */
const SHRINK_BUDGET = 300;
/** Tasks started by generated writes that are polled to their end per run, by default. */
export const DEFAULT_MAX_FOLLOWED_TASKS = 20;

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
const MAX_THROTTLED = 3;
/** The least wait after a 429, whatever Retry-After says (`0`, a past date): no answer makes a storm. */
const MIN_THROTTLE_WAIT_MS = 1_000;

/** The names one operation's properties sent and what the server said of them. */
interface OperationNames {
  /** Names of accepted writes, for the report's list of what a tenant now holds. */
  created: string[];
  /** Lower-cased: names the run created or the server answered 409 to, in any letter case. */
  taken: Set<string>;
  prefix?: string;
}

/**
 * Polls the tasks generated writes start to their end (arazzo.ts followTask, task_lifecycle) beside
 * the requests that follow, so a task's seconds do not add up per case: at most maxFollowedTasks per
 * run, none once a task used up the task timeout (each would wait it out again). Recorded under the
 * write's operation: the first failure per check, the passes as one line. Undefined on the mock.
 */
function taskFollower(ctx: GeneratedContext, summary: GeneratedSummary, ids: KnownIds) {
  // The deterministic task workflow already failed here: following more tasks would only repeat it.
  const workflowCtx = ctx.targetKind === 'mock' || ctx.tasksBroken ? undefined : workflowContext(ctx);
  if (!workflowCtx) return undefined;
  const caseName = 'generated: the tasks of accepted writes';
  const max = ctx.maxFollowedTasks ?? DEFAULT_MAX_FOLLOWED_TASKS;
  const pending: Promise<void>[] = [];
  const errors: unknown[] = [];
  /** Per operation: tasks its writes started, those followed, those that ended and stayed ended. */
  const counts = new Map<string, { started: number; followed: number; ended: number }>();
  const total = { started: 0, followed: 0 };
  const reported = new Set<string>();
  const note = (operationId: string, o: CheckOutcome) => {
    const key = `${operationId} ${o.check} ${o.verdict}`;
    if (o.verdict === 'passed' || reported.has(key)) return;
    reported.add(key);
    ctx.record({ ...o, operationId, caseName });
  };
  /** Set once a task used up the task timeout without ending cleanly (not by a quick failure). */
  let broken = false;
  /** Why tasks were not followed. */
  const notFollowed = new Set<string>();
  const capped = `at most ${max} are followed per run`;
  const timedOut =
    'a task of a generated write already did not end within the task timeout, see task_lifecycle';
  return {
    /** Starts following a task to its end; returns at once (a task can take seconds). */
    follow(op: OperationInfo, taskId: string) {
      const n = counts.get(op.operationId) ?? { started: 0, followed: 0, ended: 0 };
      counts.set(op.operationId, n);
      n.started++;
      total.started++;
      if (broken || total.followed >= max) return void notFollowed.add(broken ? timedOut : capped);
      n.followed++;
      total.followed++;
      summary.cases++;
      const startedAt = Date.now();
      const followed = followTask(
        {
          ...workflowCtx,
          exchange: async (poll, request) => {
            const sent = await ctx.send(request);
            if (is2xx(sent.exchange.response?.status ?? 0)) ids.note(poll.operationId, sent.json);
            for (const o of judge(ctx, poll, caseName, sent)) note(op.operationId, o);
            return sent;
          },
          record: (o) => {
            if (o.check === 'task_lifecycle' && o.verdict === 'passed') n.ended++;
            else note(op.operationId, o);
          },
        },
        taskId,
        caseName,
      );
      pending.push(
        followed.then(
          (result) => {
            if (result.failure !== undefined && Date.now() - startedAt >= workflowCtx.taskTimeoutMs)
              broken = true;
          },
          // Stopped by the phase's signal: the run reports the phase as incomplete. Anything else is
          // the checker's own error, thrown by settle() (not left unhandled here).
          (err: unknown) => void (ctx.signal?.aborted || errors.push(err)),
        ),
      );
    },
    /** Waits for every task followed, then records what they did. */
    async settle() {
      await Promise.all(pending);
      if (errors.length) throw errors[0];
      for (const [operationId, n] of counts) {
        if (n.followed < n.started)
          ctx.record(
            skipped(
              operationId,
              'task_lifecycle',
              caseName,
              `followed ${total.followed} of ${total.started} tasks started by generated writes; the rest were checked on their first answer (${[...notFollowed].join('; ')})`,
            ),
          );
        // A failure of one task is the operation's verdict; the passes are not listed beside it.
        if (n.ended && !reported.has(`${operationId} task_lifecycle failed`))
          ctx.record({
            operationId,
            check: 'task_lifecycle',
            verdict: 'passed',
            caseName,
            reason: `${n.ended} of ${n.followed} tasks started by generated writes ended and stayed ended (seed ${ctx.seed})`,
          });
      }
    },
  };
}

/** Runs the generated phase against one server and says what it found; records outcomes as it goes. */
export async function runGenerated(ctx: GeneratedContext): Promise<GeneratedSummary> {
  const summary: GeneratedSummary = {
    seed: ctx.seed,
    maxExamples: ctx.maxExamples,
    cases: 0,
    discarded: 0,
    durationMs: 0,
    failures: [],
    warnings: [],
  };
  const started = performance.now();
  const ids = new KnownIds();
  const tasks = taskFollower(ctx, summary, ids);
  const embedded = ctx.targetKind !== 'live';
  const prefix = embedded ? {} : { prefix: ctx.prefix };
  const sequences = runSequences(ctx, streamSeed(ctx.seed, operations.length, 2), summary);
  // An operation whose path takes ids other writes' answers give runs after those writes' valid
  // requests, so which known id a case draws depends on the seed, not on which request came first.
  const writeSources = (operationId: string) =>
    ids.sourcesOf(operationId).filter((s) => s !== operationId && isWrite(operationById(s)));
  const waitsFor = (from: string, to: string, seen = new Set<string>()): boolean =>
    writeSources(from).some((s) => s === to || (!seen.has(s) && (seen.add(s), waitsFor(s, to, seen))));
  const validEnded = new Map<string, () => void>();
  const validDone = new Map(
    operations.map((op) => [op.operationId, new Promise<void>((r) => validEnded.set(op.operationId, r))]),
  );
  /** One property of an operation's cases; `accepted` feeds withReplays, `examples` run first. */
  function checkCases(
    op: OperationInfo,
    names: OperationNames,
    kind: 'valid' | 'invalid',
    arbitrary: fc.Arbitrary<GeneratedCase | undefined>,
    seed: number,
    accepted?: GeneratedCase[],
    examples: GeneratedCase[] = [],
  ) {
    const writes = isWrite(op);
    const caseName = `generated: ${kind} requests`;
    const isTaken = (name: string) => names.taken.has(name.toLowerCase());
    let throttled = 0;
    let failedOnce = false;
    return runProperty(ctx, summary, {
      arbitrary,
      // Invalid requests are drawn on top of valid ones; some land where no parent holds them.
      params: { seed, numRuns: ctx.maxExamples, examples: examples.map((c) => [c]), maxSkipsPerRun: 20 },
      budget: ctx.maxExamples + SHRINK_BUDGET,
      started,
      caseName,
      kind,
      minimal: (_o, n, label) => {
        const minimal = `generated: ${kind} request, minimal after ${n} shrinks (seed ${ctx.seed})`;
        return label ? `${minimal}: ${label}` : minimal;
      },
      skip: (why) =>
        ctx.record(
          skipped(
            op.operationId,
            primaryCheck(kind === 'valid' ? 'positive' : 'negative'),
            caseName,
            `generation stopped: ${why}`,
          ),
        ),
      passed: (n) => `${n} generated ${kind} requests (seed ${ctx.seed})`,
      async trial(drawn, spend) {
        // Freshness is part of the case, not of the shrinker: a drawn or shrunk case whose name the run
        // already holds gets a fresh one here, so no candidate ends at a 409 that passes for it.
        const c = drawn && withFreshNames(op, drawn, isTaken, names);
        if (!c || (kind === 'valid' && !isValidCase(op, c.parts))) return undefined;
        if (!spend()) return { outcomes: [] };
        summary.cases++;
        const sent = await ctx.send(c.request).catch(stopOn(ctx.signal));
        const res = sent.exchange.response;
        if (res && is2xx(res.status)) {
          ids.note(op.operationId, sent.json);
          const taskId = writes ? readTaskId(sent.json) : undefined;
          if (taskId !== undefined) tasks?.follow(op, taskId);
        }
        const outcomes = judge(ctx, op, caseName, sent, {
          kind: kind === 'valid' ? 'positive' : 'negative',
          // Generated ids may name nothing the server holds, generated names one it already has.
          stateUnknown: true,
          ...(ctx.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: ctx.maxResponseTimeMs } : {}),
          // applyChecks decides lenient or failed from the evidence, --strict included.
          ...(c.broken ? { evidence: c.broken.evidence } : {}),
        });
        // No complete answer (the request deadline, a reset): shrinking would only wait it out again.
        if (res === undefined)
          return {
            outcomes,
            stop: `no complete response to a generated request (${sent.exchange.networkError ?? 'no answer'}); the failure is reported as it is, not shrunk`,
          };
        if (res.status === 429) {
          if (++throttled >= MAX_THROTTLED)
            return {
              outcomes: [],
              stop: `the server answered 429 to ${MAX_THROTTLED} generated requests in a row; run again later, or with a lower --max-examples`,
            };
          // The shared floor (src/internal/timers.ts), and no wait past 30 s: generation goes on.
          const retryAfter = parseRetryAfter(res.headers['retry-after']);
          await sleep(Math.min(nextAskWait(MIN_THROTTLE_WAIT_MS, 0, retryAfter), 30_000), ctx.signal).catch(
            stopOn(ctx.signal),
          );
        } else throttled = 0;
        if (writes && (is2xx(res.status) || res.status === 409))
          for (const n of namesIn(op, c.request.body)) names.taken.add(n.toLowerCase());
        if (writes && is2xx(res.status)) {
          names.created.push(...namesIn(op, c.request.body));
          // Frozen from the first failure on: a shrink candidate then replays what the failing case
          // replayed, not a write some earlier candidate made.
          if (accepted && !failedOnce && accepted.length < MAX_REPLAYS) {
            const { repeats: _repeats, ...sent } = c;
            accepted.push(sent);
          }
        }
        // A server that ignores a rule we chose (not the vendor's) gets a warning, not a failure:
        // listed in the summary, not counted as passed.
        const i = outcomes.findIndex((o) => o.check === 'negative_data_rejection' && o.verdict === 'lenient');
        if (c.broken && i >= 0) {
          outcomes.splice(i, 1);
          if (summary.warnings.length < 50)
            summary.warnings.push({
              operationId: op.operationId,
              label: c.broken.label,
              evidence: c.broken.evidence,
              status: res.status,
              request: c.request,
            });
        }
        failedOnce ||= outcomes.some((o) => o.verdict === 'failed');
        return { outcomes, ...(c.broken ? { label: c.broken.label } : {}) };
      },
    });
  }
  async function runOperation(op: OperationInfo, i: number) {
    if (ctx.only && op.operationId !== ctx.only) return;
    const writes = isWrite(op);
    if (writes && !ctx.writesAllowed)
      return ctx.record(
        skipped(
          op.operationId,
          primaryCheck('positive'),
          'generated: valid requests',
          `not sent: generated ${op.method} ${op.path} requests may write, and this server was not started by the checker; pass --allow-writes to send them`,
        ),
      );
    const names: OperationNames = { created: [], taken: new Set(), ...prefix };
    const accepted: GeneratedCase[] = [];
    const valid = withKnownIds(op, validCases(op, prefix), ids);
    const arbitrary = writes ? withReplays(op, valid, accepted, prefix) : valid;
    const seed = (p: number) => streamSeed(ctx.seed, i, p);
    await checkCases(op, names, 'valid', arbitrary, seed(0), accepted, edgeCases(op, prefix));
    validEnded.get(op.operationId)!();
    const invalid = invalidCases(op, {
      ...prefix,
      asciiKeys: ctx.targetKind === 'mock',
      // Lenient rules are never sent as writes to a server the checker did not start; the mock
      // is not asked to enforce what Prism cannot.
      keep: (b, lenient) =>
        (embedded || !writes || !lenient) && !(ctx.targetKind === 'mock' && PRISM_UNENFORCED.has(b.keyword)),
    });
    if (invalid) await checkCases(op, names, 'invalid', invalid, seed(1));
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
            .map((s) => validDone.get(s)),
        );
        await runOperation(op, i);
      } finally {
        validEnded.get(op.operationId)!();
      }
    }),
  ]);
  await tasks?.settle();
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}
