// Stateful sequences from the workflow description beside the contract
// (spec/workflows/provisioning.arazzo.json), run by the Arazzo runner (../arazzo.ts) with
// generated inputs: each step's request body is generated from the operation's schema, the fields
// the workflow binds ($inputs, $steps) are set from earlier answers, every response gets the
// per-response checks, and a task step is followed with the task_lifecycle check. Runs where state
// exists and writes are allowed, like the other workflows.
import fc from 'fast-check';
import { operationById } from '../../contract/index.js';
import { applyChecks, skipped } from '../checks.js';
import {
  followTask,
  runWorkflow,
  sandboxLead,
  sandboxOvocId,
  taskPollOperation,
  workflowCheck,
  workflowDocument,
  type StepIo,
  type Workflow,
  type WorkflowContext,
} from '../arazzo.js';
import type { CheckOutcome, GeneratedSummary } from '../types.js';
import type { GeneratedContext } from './context.js';
import { validCases } from './requests.js';
import { stopIfAborted, stopOn } from '../stop.js';

/**
 * What the answers about one task must agree on across the polls of a sequence's step (the
 * task_lifecycle check follows the status only): each names the task asked for, its createTime
 * never changes, and once it is terminal its outputData and completeTime do not either (a later step
 * reads them). Returns why they disagree, or undefined. Answers that are not a task object were
 * judged by the per-response checks already and are left out.
 */
export function taskAnswersDisagree(taskId: string, answers: unknown[]): string | undefined {
  const tasks = answers.filter(
    (a): a is Record<string, unknown> => !!a && typeof a === 'object' && !Array.isArray(a),
  );
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const t of tasks)
    if (t.id !== taskId) return `a poll of task ${taskId} answered task ${JSON.stringify(t.id)}`;
  for (const t of tasks.slice(1))
    if (!same(t.createTime, tasks[0]!.createTime))
      return `task ${taskId}'s createTime changed between polls: ${JSON.stringify(tasks[0]!.createTime)} -> ${JSON.stringify(t.createTime)}`;
  const terminal = tasks.filter((t) => t.status === 'CompletedSuccess' || t.status === 'CompletedFailed');
  for (const key of ['outputData', 'completeTime'])
    for (const t of terminal.slice(1))
      if (!same(t[key], terminal[0]![key]))
        return `task ${taskId} ended, then its ${key} changed: ${JSON.stringify(terminal[0]![key])} -> ${JSON.stringify(t[key])}`;
  return undefined;
}

/** Sequences per workflow and run at most: each converts a lead and waits for two tasks. */
export const MAX_SEQUENCES = 5;
/**
 * Sequences spent on shrinking a failure at most: each one follows tasks, so shrinking without a
 * budget (as the generated requests have one, SHRINK_BUDGET) ran a hostile server for minutes.
 */
export const SEQUENCE_SHRINK_BUDGET = 10;

type WorkflowParts = Pick<
  WorkflowContext,
  'http' | 'pollIntervalMs' | 'taskTimeoutMs' | 'exchange' | 'record' | 'created'
>;

/** The workflows the generated phase runs: those that do not exist for one check. */
export const sequenceWorkflows = (): Workflow[] =>
  workflowDocument.workflows.filter((w) => !workflowCheck(w));

/** Runs the workflow document's sequences with generated inputs; records outcomes under each step's operation. */
export async function runSequences(
  ctx: GeneratedContext & Partial<WorkflowParts> & { leadTenantId?: string },
  seed: number,
  summary: GeneratedSummary,
): Promise<void> {
  for (const [i, workflow] of sequenceWorkflows().entries())
    await runSequence(ctx, workflow, seed + i, summary);
}

async function runSequence(
  ctx: GeneratedContext & Partial<WorkflowParts> & { leadTenantId?: string },
  workflow: Workflow,
  seed: number,
  summary: GeneratedSummary,
): Promise<void> {
  const caseName = `generated sequence: ${workflow.workflowId}`;
  const inputs = Object.entries(workflow.inputs?.properties ?? {});
  const needsLead = inputs.some(([, s]) => s['x-lead']);
  // Reported under the check the sequences exist for: the tasks they follow.
  const poll = taskPollOperation();
  const skip = (reason: string) =>
    poll && ctx.record(skipped(poll.operationId, 'task_lifecycle', caseName, reason));
  if (ctx.only) return;
  if (ctx.targetKind === 'mock')
    return void skip('Prism is stateless, so the workflow sequences cannot run on it');
  if (ctx.tasksBroken)
    return void skip(
      'the task workflow already failed on this server (see task_lifecycle); the sequences follow tasks too and would only repeat it',
    );
  if (!ctx.writesAllowed)
    return void skip('the sequence writes: pass --allow-writes to run it against this server');
  if (ctx.targetKind === 'live' && needsLead && !ctx.leadTenantId)
    return void skip('needs a lead that may be converted: pass --lead-tenant <msTenantId>');
  if (!ctx.http || !ctx.exchange || ctx.pollIntervalMs === undefined || ctx.taskTimeoutMs === undefined)
    return;
  const wctx = ctx as GeneratedContext & WorkflowParts;
  const workflowCtx = { ...wctx, writesAllowed: true } as WorkflowContext;

  // A name that passes the conversion task's rule, so that the sequence goes on to the import.
  const prefix = ctx.targetKind === 'live' ? ctx.prefix : '';
  const runName = fc
    .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'), {
      minLength: Math.max(0, 3 - prefix.length),
      maxLength: 15 - prefix.length,
    })
    .map((cs) => prefix + cs.join(''));
  // Other text inputs (the full name) are optional and, when sent, keep to the task's rule too;
  // leaving them to the schema's plain string would end most sequences at a failed conversion.
  // On a tenant they carry the run prefix too, like every name the run sends.
  const text = fc.option(
    fc
      .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' "), {
        maxLength: 40 - prefix.length,
      })
      .map((cs) => prefix + cs.join('')),
    { nil: undefined },
  );
  const generatedInputs = fc.record(
    Object.fromEntries(
      inputs
        .filter(([, s]) => !s['x-lead'] && !s['x-sandbox-ovoc-customer-of'] && s.type === 'string')
        .map(([name, s]) => [
          name,
          s['x-run-name'] !== undefined || workflow.inputs?.required?.includes(name) ? runName : text,
        ]),
    ),
  );
  const bodies = fc.record(
    Object.fromEntries(
      workflow.steps
        .filter((s) => s.requestBody)
        .map((s) => [
          s.stepId,
          validCases(operationById(s.operationId), prefix ? { prefix } : {}).map((c) => c.request.body),
        ]),
    ),
  );
  let lastFailure: { outcomes: CheckOutcome[] } | undefined;
  let completed = 0;
  const passed = new Map<string, CheckOutcome>();
  /** The first warning per operation and check (an answer breaking only our own response rules). */
  const lenient = new Map<string, CheckOutcome>();
  /** Why the sequences stopped early (no complete answer): later runs pass without a request. */
  let stopped: string | undefined;
  const numRuns = ctx.targetKind === 'live' ? 1 : Math.min(ctx.maxExamples, MAX_SEQUENCES);
  let calls = 0;
  const property = fc.asyncProperty(generatedInputs, bodies, async (values, generated) => {
    stopIfAborted(ctx.signal);
    // Past the budget every further shrink candidate counts as passing, so shrinking ends.
    if (stopped !== undefined || ++calls > numRuns + SEQUENCE_SHRINK_BUDGET) return true;
    const given: Record<string, unknown> = { ...values };
    if (needsLead) {
      const lead =
        ctx.targetKind === 'live'
          ? ctx.leadTenantId!
          : await sandboxLead(wctx.http).catch(stopOn(ctx.signal));
      for (const [name, s] of inputs) if (s['x-lead']) given[name] = lead;
    }
    /** Failures of the answers compared across a task's polls (taskAnswersDisagree). */
    const compared: CheckOutcome[] = [];
    const io: StepIo = {
      targetKind: ctx.targetKind,
      send: async (op, request, stepCase) => {
        summary.cases++;
        const sent = await ctx.send(request).catch(stopOn(ctx.signal));
        const outcomes = applyChecks(
          {
            operation: op,
            caseName: stepCase,
            kind: 'workflow',
            targetKind: ctx.targetKind,
            ...(ctx.strict ? { strict: true } : {}),
          },
          sent.exchange,
          sent.json,
        );
        return { sent, outcomes };
      },
      follow: async (taskId, stepCase) => {
        summary.cases++;
        // Every answer about the task, to compare across the polls once it is followed.
        const answers: unknown[] = [];
        const result = await followTask(
          {
            ...workflowCtx,
            exchange: async (op, request, cn) => {
              const sent = await workflowCtx.exchange(op, request, cn);
              if (sent.exchange.response?.status === 200) answers.push(sent.json);
              return sent;
            },
          },
          taskId,
          stepCase,
        );
        const disagreement = result.failure === undefined ? taskAnswersDisagree(taskId, answers) : undefined;
        if (disagreement !== undefined && poll)
          compared.push({
            operationId: poll.operationId,
            check: 'task_lifecycle',
            verdict: 'failed',
            caseName: stepCase,
            reason: disagreement,
            ...(result.last ? { exchange: result.last.exchange } : {}),
          });
        return result;
      },
      baseBody: (step) => generated[step.stepId],
      ...(ctx.targetKind === 'sandbox'
        ? { ovocCustomerOf: (guid: unknown) => sandboxOvocId(wctx.http, guid) }
        : {}),
    };
    const run = await runWorkflow(workflow, given, io, caseName).catch(stopOn(ctx.signal));
    run.outcomes.push(...compared);
    if (run.stopped?.why === 'invalid-body') {
      summary.discarded++;
      fc.pre(false);
    }
    if (run.stopped?.why === 'task') {
      // Recorded by followTask as it is: shrinking would follow more tasks that end the same way,
      // each after the task deadline (a task that never ends made it minutes).
      stopped = `a task did not end cleanly at step ${run.stopped.stepId} (see task_lifecycle)`;
      return true;
    }
    const failures = run.outcomes.filter((o) => o.verdict === 'failed');
    for (const o of run.outcomes)
      if (o.verdict === 'passed') passed.set(`${o.operationId} ${o.check}`, o);
      else if (o.verdict === 'lenient' && !lenient.has(`${o.operationId} ${o.check}`))
        lenient.set(`${o.operationId} ${o.check}`, o);
    if (run.stopped?.why === 'no-response') {
      // Shrinking a request that got no complete answer would only wait out the deadline again.
      for (const o of failures) ctx.record(o);
      stopped = `${run.stopped.reason} at step ${run.stopped.stepId}`;
      return true;
    }
    if (failures.length) {
      lastFailure = { outcomes: failures };
      return false;
    }
    if (run.completed) completed++;
    for (const c of run.created) if (ctx.targetKind === 'live') ctx.created(c.operationId, c.names, c.id);
    return true;
  });
  const details = await fc.check(property, {
    seed,
    // A tenant has one lead to convert; the sandbox makes a fresh one per run.
    numRuns,
    maxSkipsPerRun: 5,
  });
  if (details.failed && lastFailure) {
    for (const o of lastFailure.outcomes)
      ctx.record({
        ...o,
        caseName: `${o.caseName} (minimal after ${details.numShrinks} shrinks, seed ${ctx.seed})`,
      });
    const o = lastFailure.outcomes[0]!;
    summary.failures.push({
      operationId: o.operationId,
      kind: 'sequence',
      label: o.caseName,
      request: o.exchange?.request ?? { method: '', path: '', auth: 'token' },
      numShrinks: details.numShrinks,
      checks: [...new Set(lastFailure.outcomes.map((f) => f.check))],
    });
  } else if (details.failed) {
    skip(
      `the sequence stopped: ${String(details.errorInstance ?? 'a task did not end cleanly (see task_lifecycle)').split('\n')[0]}`,
    );
  }
  if (stopped !== undefined)
    skip(`the sequences stopped: ${stopped}; the failure is reported as it is, not shrunk`);
  summary.sequences = {
    runs: (summary.sequences?.runs ?? 0) + details.numRuns,
    completed: (summary.sequences?.completed ?? 0) + completed,
  };
  for (const o of lenient.values()) ctx.record(o);
  for (const o of passed.values())
    ctx.record({
      ...o,
      caseName,
      reason: `${details.numRuns} generated sequences, ${completed} to the last step (seed ${ctx.seed})`,
    });
}
