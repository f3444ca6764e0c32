// Stateful sequences from spec/workflows/provisioning.arazzo.json, run by ../arazzo.ts with
// generated inputs and bodies (the fields the workflow binds come from earlier answers): every
// response checked, every task followed. Runs where state exists and writes are allowed.
import fc from 'fast-check';
import { operationById } from '../../contract/index.js';
import { skipped } from '../checks.js';
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
} from '../arazzo.js';
import type { CheckOutcome, GeneratedSummary } from '../types.js';
import { judge, runProperty, workflowContext, type GeneratedContext } from './context.js';
import { validCases } from './requests.js';
import { stopOn } from '../stop.js';

/**
 * Why the answers about one task across a step's polls disagree, or undefined: each names the task
 * asked for, its createTime never changes, and once terminal its outputData and completeTime do not
 * either (a later step reads them). Answers that are no task object were judged already.
 */
function taskAnswersDisagree(taskId: string, answers: unknown[]): string | undefined {
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
const MAX_SEQUENCES = 5;
/**
 * Sequences spent on shrinking a failure at most: each one follows tasks, so shrinking without a
 * budget (as the generated requests have one) ran a hostile server for minutes.
 */
const SEQUENCE_SHRINK_BUDGET = 10;

/** Characters of generated names and texts: those the conversion task's rule allows. */
const NAME_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'];

/** Runs the workflow document's sequences with generated inputs; records outcomes under each step's operation. */
export async function runSequences(
  ctx: GeneratedContext,
  seed: number,
  summary: GeneratedSummary,
): Promise<void> {
  // The workflows that do not exist for one check.
  for (const [i, workflow] of workflowDocument.workflows.filter((w) => !workflowCheck(w)).entries())
    await runSequence(ctx, workflow, seed + i, summary);
}

async function runSequence(
  ctx: GeneratedContext,
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
  const workflowCtx = workflowContext(ctx);
  if (!workflowCtx) return;
  const { http, exchange } = workflowCtx;

  // A name that passes the conversion task's rule, so that the sequence goes on to the import.
  // Other text inputs (the full name) are optional and, when sent, keep to the task's rule too
  // (apostrophes and spaces allowed); leaving them to the schema's plain string would end most
  // sequences at a failed conversion. On a tenant both carry the run prefix, like every name sent.
  const prefix = ctx.targetKind === 'live' ? ctx.prefix : '';
  const text = (chars: string[], minLength: number, maxLength: number) =>
    fc.array(fc.constantFrom(...chars), { minLength, maxLength }).map((cs) => prefix + cs.join(''));
  const runName = text(NAME_CHARS, Math.max(0, 3 - prefix.length), 15 - prefix.length);
  const other = fc.option(text([...NAME_CHARS, "'", ' '], 0, 40 - prefix.length), { nil: undefined });
  const generatedInputs = fc.record(
    Object.fromEntries(
      inputs
        .filter(([, s]) => !s['x-lead'] && !s['x-sandbox-ovoc-customer-of'] && s.type === 'string')
        .map(([name, s]) => [
          name,
          s['x-run-name'] !== undefined || workflow.inputs?.required?.includes(name) ? runName : other,
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
  let completed = 0;
  // A tenant has one lead to convert; the sandbox makes a fresh one per run.
  const numRuns = ctx.targetKind === 'live' ? 1 : Math.min(ctx.maxExamples, MAX_SEQUENCES);
  const { numRuns: runs } = await runProperty(ctx, summary, {
    arbitrary: fc.tuple(generatedInputs, bodies),
    params: { seed, numRuns, maxSkipsPerRun: 5 },
    budget: numRuns + SEQUENCE_SHRINK_BUDGET,
    caseName,
    kind: 'sequence',
    minimal: (o, n) => `${o.caseName} (minimal after ${n} shrinks, seed ${ctx.seed})`,
    skip: (why) => skip(`the sequences stopped: ${why}`),
    passed: (_n, numRuns) =>
      `${numRuns} generated sequences, ${completed} to the last step (seed ${ctx.seed})`,
    async trial([values, generated], spend) {
      if (!spend()) return { outcomes: [] };
      const given: Record<string, unknown> = { ...values };
      if (needsLead) {
        const lead =
          ctx.targetKind === 'live' ? ctx.leadTenantId! : await sandboxLead(http).catch(stopOn(ctx.signal));
        for (const [name, s] of inputs) if (s['x-lead']) given[name] = lead;
      }
      /** Failures of the answers compared across a task's polls (taskAnswersDisagree). */
      const compared: CheckOutcome[] = [];
      const io: StepIo = {
        targetKind: ctx.targetKind,
        send: async (op, request, stepCase) => {
          summary.cases++;
          const sent = await ctx.send(request).catch(stopOn(ctx.signal));
          return { sent, outcomes: judge(ctx, op, stepCase, sent) };
        },
        follow: async (taskId, stepCase) => {
          summary.cases++;
          // Every answer about the task, to compare across the polls once it is followed.
          const answers: unknown[] = [];
          const result = await followTask(
            {
              ...workflowCtx,
              exchange: async (op, request, cn) => {
                const sent = await exchange(op, request, cn);
                if (sent.exchange.response?.status === 200) answers.push(sent.json);
                return sent;
              },
            },
            taskId,
            stepCase,
          );
          const disagreement =
            result.failure === undefined ? taskAnswersDisagree(taskId, answers) : undefined;
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
          ? { ovocCustomerOf: (guid: unknown) => sandboxOvocId(http, guid) }
          : {}),
      };
      const run = await runWorkflow(workflow, given, io, caseName).catch(stopOn(ctx.signal));
      const outcomes = [...run.outcomes, ...compared];
      const failed = outcomes.find((o) => o.verdict === 'failed');
      switch (run.stopped?.why) {
        case 'invalid-body':
          return undefined;
        // Recorded by followTask as it is: shrinking would follow more tasks that end the same way,
        // each after the task deadline (a task that never ends made it minutes).
        case 'task':
          return {
            outcomes: [],
            stop: `a task did not end cleanly at step ${run.stopped.stepId} (see task_lifecycle); the failure is reported as it is, not shrunk`,
          };
        // Shrinking a request that got no complete answer would only wait out the deadline again.
        case 'no-response':
          return {
            outcomes,
            stop: `${run.stopped.reason} at step ${run.stopped.stepId}; the failure is reported as it is, not shrunk`,
          };
      }
      if (!failed) {
        if (run.completed) completed++;
        if (ctx.targetKind === 'live') for (const c of run.created) ctx.created(c.operationId, c.names, c.id);
      }
      return { outcomes, ...(failed ? { label: failed.caseName } : {}) };
    },
  });
  summary.sequences = {
    runs: (summary.sequences?.runs ?? 0) + runs,
    completed: (summary.sequences?.completed ?? 0) + completed,
  };
}
