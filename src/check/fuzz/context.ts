// What the generated phase and its sequences share: the run's context, the per-response checks of
// one exchange, and a fast-check property whose every run sends requests, within a budget.
import fc from 'fast-check';
import type { OperationInfo } from '../../contract/index.js';
import type { WorkflowContext } from '../arazzo.js';
import { applyChecks } from '../checks.js';
import type { Sent } from '../http.js';
import { stopIfAborted } from '../stop.js';
import type { CheckOutcome, CheckRequest, GeneratedFailure, GeneratedSummary, TargetKind } from '../types.js';

/** What the generated phase and its sequences get from a run. */
export interface GeneratedContext extends Partial<
  Pick<WorkflowContext, 'http' | 'pollIntervalMs' | 'taskTimeoutMs' | 'exchange' | 'leadTenantId'>
> {
  targetKind: TargetKind;
  writesAllowed: boolean;
  /** Names of writes to a server the checker did not start carry it. */
  prefix: string;
  seed: number;
  maxExamples: number;
  only?: string;
  maxResponseTimeMs?: number;
  /** --strict: an accepted invalid case that rests on our own decision fails instead of warning. */
  strict?: boolean;
  /**
   * The deterministic task workflow already failed on this server (getTask never confirmed a task):
   * the sequences, which follow tasks too, would only repeat that failure and its polls.
   */
  tasksBroken?: boolean;
  /**
   * Tasks started by generated writes that are polled to their end, per run at most
   * (DEFAULT_MAX_FOLLOWED_TASKS); the others are checked on the answer that started them.
   */
  maxFollowedTasks?: number;
  /** Sends one request (the caller counts it) and returns the exchange. */
  send(request: CheckRequest): Promise<Sent>;
  /** Aborts when the phase is stopped (interrupted, or its deadline): fast-check then ends at once. */
  signal?: AbortSignal;
  record(outcome: CheckOutcome): void;
  created(operationId: string, names: string[], id?: string): void;
}

/** The run's poll settings as a workflow's context (writes allowed); undefined without them. */
export function workflowContext(ctx: GeneratedContext): WorkflowContext | undefined {
  const { http, exchange, pollIntervalMs, taskTimeoutMs } = ctx;
  if (!http || !exchange || pollIntervalMs === undefined || taskTimeoutMs === undefined) return undefined;
  return { ...ctx, http, exchange, pollIntervalMs, taskTimeoutMs, writesAllowed: true };
}

/** The per-response checks (src/check/checks.ts) of one exchange, with the run's --strict. */
export const judge = (
  ctx: GeneratedContext,
  operation: OperationInfo,
  caseName: string,
  sent: Sent,
  extra: Partial<Parameters<typeof applyChecks>[0]> = {},
) =>
  applyChecks(
    {
      operation,
      caseName,
      kind: 'workflow',
      targetKind: ctx.targetKind,
      ...(ctx.strict ? { strict: true } : {}),
      ...extra,
    },
    sent.exchange,
    sent.json,
  );

/** One run of a property: its outcomes, and why the property stops there (later runs then pass unsent). */
interface Trial {
  outcomes: CheckOutcome[];
  stop?: string;
  /** The broken rule, for the report's failure line. */
  label?: string;
}

interface PropertyRun<T> {
  arbitrary: fc.Arbitrary<T>;
  params: fc.Parameters<[T]>;
  /** Runs (shrink candidates included) that send requests at most; the later ones pass unsent. */
  budget: number;
  /** performance.now() the phase started: when given, failures say when the first one came. */
  started?: number;
  /** One run: `spend()` is false once the budget is spent or the property stopped; undefined discards. */
  trial(value: T, spend: () => boolean): Promise<Trial | undefined>;
  /** The case name of a minimal failure's outcomes (`label`: the failing trial's). */
  minimal(o: CheckOutcome, numShrinks: number, label?: string): string;
  kind: GeneratedFailure['kind'];
  /** Records why the property ended without a failure to show (a stop, an error, too many discards). */
  skip(why: string): void;
  /** The case name and reason of each check that passed every time, given how many times it did. */
  caseName: string;
  passed(n: number, numRuns: number): string;
}

/**
 * Runs a property whose runs send requests, within the budget, and records the minimal failure
 * (one that stops the property as it is), the first warning per check, and the passes as one line.
 */
export async function runProperty<T>(
  ctx: GeneratedContext,
  summary: GeneratedSummary,
  run: PropertyRun<T>,
): Promise<fc.RunDetails<[T]>> {
  const passed = new Map<string, { outcome: CheckOutcome; n: number }>();
  const lenient = new Map<string, CheckOutcome>();
  let last: Trial | undefined;
  let first: { firstFailureMs?: number; firstFailureAt?: number } = {};
  let stopped: string | undefined;
  let calls = 0;
  const spend = () => stopped === undefined && ++calls <= run.budget;
  const property = fc.asyncProperty(run.arbitrary, async (value) => {
    stopIfAborted(ctx.signal);
    const t = await run.trial(value, spend);
    if (!t) {
      summary.discarded++;
      fc.pre(false);
      return true;
    }
    const failed = t.outcomes.filter((o) => o.verdict === 'failed');
    if (failed.length && t.stop === undefined) {
      if (run.started !== undefined && last === undefined)
        first = { firstFailureMs: Math.round(performance.now() - run.started), firstFailureAt: calls };
      last = { ...t, outcomes: failed };
      return false;
    }
    for (const o of t.outcomes) {
      const key = `${o.operationId} ${o.check}`;
      if (o.verdict === 'passed') passed.set(key, { outcome: o, n: (passed.get(key)?.n ?? 0) + 1 });
      else if (o.verdict === 'lenient' && !lenient.has(key)) lenient.set(key, o);
    }
    // A stop's failure is recorded as it is: shrinking it would only meet the same stop again.
    if (t.stop !== undefined) {
      for (const o of failed) ctx.record(o);
      stopped = t.stop;
    }
    return true;
  });
  const details = await fc.check(property, run.params);
  const failure = details.failed && details.counterexample ? last : undefined;
  if (failure) {
    for (const o of failure.outcomes)
      ctx.record({ ...o, caseName: run.minimal(o, details.numShrinks, failure.label) });
    summary.failures.push({
      operationId: failure.outcomes[0]!.operationId,
      kind: run.kind,
      ...(failure.label !== undefined ? { label: failure.label } : {}),
      request: failure.outcomes[0]!.exchange?.request ?? { method: '', path: '', auth: 'token' },
      numShrinks: details.numShrinks,
      checks: [...new Set(failure.outcomes.map((f) => f.check))],
      ...first,
    });
  }
  // Stopped, too many values discarded, or an error of the checker itself: said, not hidden.
  const error = String(details.errorInstance ?? `${details.numSkips} generated requests were discarded`);
  if (stopped !== undefined || (details.failed && !failure)) run.skip(stopped ?? error.split('\n')[0]!);
  const failedKeys = new Set(failure?.outcomes.map((o) => `${o.operationId} ${o.check}`));
  for (const [key, o] of lenient) if (!failedKeys.has(key)) ctx.record(o);
  for (const [key, { outcome, n }] of passed)
    if (!failedKeys.has(key))
      ctx.record({
        operationId: outcome.operationId,
        check: outcome.check,
        verdict: 'passed',
        caseName: run.caseName,
        reason: run.passed(n, details.numRuns),
      });
  return details;
}
