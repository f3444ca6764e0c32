// Stateful sequences from the workflow description beside the contract
// (spec/workflows/provisioning.arazzo.json): each step's request body is generated from the
// operation's schema, the fields the workflow binds ($inputs, $steps) are set from earlier answers,
// every response gets the per-response checks, and a getTask step is followed with the existing
// task-lifecycle check. Runs where state exists and writes are allowed, like the other workflows.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { operationById, validateRequestBody } from '../../contract/index.js';
import { applyChecks, skipped } from '../checks.js';
import { joinUrl, type HttpTarget } from '../http.js';
import type { Sent } from '../http.js';
import type { CheckOutcome, CheckRequest } from '../types.js';
import { followTask, sandboxLead, taskIdOf, type WorkflowContext } from '../workflows.js';
import type { GeneratedContext, GeneratedSummary } from './phase.js';
import { stopIfAborted, stopOn } from '../stop.js';
import { validCases } from './requests.js';

interface Parameter {
  name: string;
  in: string;
  value: unknown;
}
interface Criterion {
  condition: string;
  context?: string;
  type?: string;
}
interface Step {
  stepId: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { contentType?: string; payload?: unknown };
  successCriteria?: Criterion[];
  outputs?: Record<string, string>;
}
interface Workflow {
  workflowId: string;
  steps: Step[];
}

const require = createRequire(import.meta.url);
/** The vendor's workflows as data: spec/workflows/provisioning.arazzo.json (which `redocly respect` runs), copied to generated/ and checked by `npm run generate`. */
export const workflowDocument = require('../../../generated/workflows.json') as {
  workflows: Workflow[];
};

/** Sequences per run at most: each converts a lead and waits for two tasks. */
export const MAX_SEQUENCES = 5;
/**
 * Sequences spent on shrinking a failure at most: each one follows tasks, so shrinking without a
 * budget (as the generated requests have one, SHRINK_BUDGET) ran a hostile server for minutes.
 */
export const SEQUENCE_SHRINK_BUDGET = 10;

type Scope = {
  inputs: Record<string, unknown>;
  steps: Record<string, Record<string, unknown>>;
  statusCode?: number;
  body?: unknown;
};

const pointer = (value: unknown, ptr: string): unknown =>
  ptr
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );

/** The runtime expressions the workflow uses: $inputs.x, $steps.s.outputs.y, $statusCode, $response.body[#/ptr]. */
export function evaluate(expression: unknown, scope: Scope): unknown {
  if (typeof expression !== 'string' || !expression.startsWith('$')) return expression;
  if (expression === '$statusCode') return scope.statusCode;
  if (expression.startsWith('$inputs.')) return scope.inputs[expression.slice(8)];
  const step = /^\$steps\.([^.]+)\.outputs\.(.+)$/.exec(expression);
  if (step) return scope.steps[step[1]!]?.[step[2]!];
  if (expression === '$response.body') return scope.body;
  if (expression.startsWith('$response.body#')) return pointer(scope.body, expression.slice(15));
  return undefined;
}

/** Overlays the expression-valued fields of a payload on a generated body. */
function bind(generated: unknown, payload: unknown, scope: Scope): unknown {
  if (typeof payload === 'string' && payload.startsWith('$')) return evaluate(payload, scope);
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return generated;
  const out: Record<string, unknown> =
    generated && typeof generated === 'object' ? { ...(generated as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(payload)) {
    const bound = bind(out[k], v, scope);
    if (bound === undefined) delete out[k];
    else out[k] = bound;
  }
  return out;
}

/** `$statusCode == 200` and `$.status == 'CompletedSuccess'` (jsonpath on the body): what the document uses. */
function holds(c: Criterion, scope: Scope): boolean {
  const m = /^\s*(\S+)\s*(==|!=)\s*(.+?)\s*$/.exec(c.condition);
  if (!m) return false;
  const left =
    c.type === 'jsonpath' && m[1]!.startsWith('$.')
      ? pointer(evaluate(c.context ?? '$response.body', scope), `/${m[1]!.slice(2).replace(/\./g, '/')}`)
      : evaluate(m[1], scope);
  const literal = m[3]!.replace(/^'(.*)'$/, '$1');
  const right = /^-?\d+$/.test(literal) ? Number(literal) : literal;
  return m[2] === '==' ? left === right : left !== right;
}

const isPoll = (step: Step) => step.operationId === 'getTask';

/** The sandbox's control plane knows which OVOC customer a customer is linked to; a tenant's API does not. */
async function sandboxOvocId(http: HttpTarget, customerGuid: unknown): Promise<number | undefined> {
  if (typeof customerGuid !== 'string') return undefined;
  const res = await http.transport(
    joinUrl(http.baseUrl, `/_sandbox/customer?id=${encodeURIComponent(customerGuid)}`),
    { method: 'GET', headers: { authorization: `Bearer ${http.token}` }, timeoutMs: http.timeoutMs },
  );
  if (res.status !== 200) return undefined;
  try {
    const id = (JSON.parse(res.text) as { ovocCustomerId?: unknown }).ovocCustomerId;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined; // not the sandbox's control plane: the step is skipped
  }
}

type WorkflowParts = Pick<
  WorkflowContext,
  'http' | 'pollIntervalMs' | 'taskTimeoutMs' | 'exchange' | 'record' | 'created'
>;

/** Runs the workflow document's sequences with generated inputs; records outcomes under each step's operation. */
export async function runSequences(
  ctx: GeneratedContext & Partial<WorkflowParts> & { leadTenantId?: string },
  seed: number,
  summary: GeneratedSummary,
): Promise<void> {
  const workflow = workflowDocument.workflows[0];
  if (!workflow) return;
  const caseName = `generated sequence: ${workflow.workflowId}`;
  const first = workflow.steps[0]!.operationId;
  // Reported under the check the sequences exist for: the tasks they follow.
  const skip = (reason: string) => ctx.record(skipped('getTask', 'task_lifecycle', caseName, reason));
  if (ctx.only) return;
  if (ctx.targetKind === 'mock')
    return skip('Prism is stateless, so the workflow sequences cannot run on it');
  if (ctx.tasksBroken)
    return skip(
      'the task workflow already failed on this server (see task_lifecycle); the sequences follow tasks too and would only repeat it',
    );
  if (!ctx.writesAllowed)
    return skip('the sequence writes: pass --allow-writes to run it against this server');
  if (ctx.targetKind === 'live' && !ctx.leadTenantId)
    return skip('needs a lead that may be converted: pass --lead-tenant <msTenantId>');
  if (!ctx.http || !ctx.exchange || ctx.pollIntervalMs === undefined || ctx.taskTimeoutMs === undefined)
    return;
  const wctx = ctx as GeneratedContext & WorkflowParts;
  const workflowCtx = {
    ...wctx,
    targetKind: ctx.targetKind,
    writesAllowed: true,
    prefix: ctx.prefix,
  } as WorkflowContext;

  // A name that passes the conversion task's rule, so that the sequence goes on to the import.
  const prefix = ctx.targetKind === 'live' ? ctx.prefix : '';
  const shortName = fc
    .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'), {
      minLength: Math.max(0, 3 - prefix.length),
      maxLength: 15 - prefix.length,
    })
    .map((cs) => prefix + cs.join(''));
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
  let lastFailure: CheckOutcome[] | undefined;
  let completed = 0;
  const passed = new Map<string, CheckOutcome>();
  /** Why the sequences stopped early (no complete answer): later runs pass without a request. */
  let stopped: string | undefined;
  const numRuns = ctx.targetKind === 'live' ? 1 : Math.min(ctx.maxExamples, MAX_SEQUENCES);
  let calls = 0;
  // The full name is optional and, when sent, keeps to the task's rule too; leaving it to the
  // schema's plain string would end most sequences at a failed conversion.
  const fullName = fc.option(
    fc
      .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' "), {
        maxLength: 40,
      })
      .map((cs) => cs.join('')),
    { nil: undefined },
  );
  const property = fc.asyncProperty(shortName, fullName, bodies, async (name, full, generated) => {
    stopIfAborted(ctx.signal);
    // Past the budget every further shrink candidate counts as passing, so shrinking ends.
    if (stopped !== undefined || ++calls > numRuns + SEQUENCE_SHRINK_BUDGET) return true;
    const msTenantId =
      ctx.targetKind === 'live' ? ctx.leadTenantId! : await sandboxLead(wctx.http).catch(stopOn(ctx.signal));
    const scope: Scope = {
      inputs: { msTenantId, customerShortName: name, customerFullName: full },
      steps: {},
    };
    const failures: CheckOutcome[] = [];
    for (const step of workflow.steps) {
      const op = operationById(step.operationId);
      const stepCase = `${caseName} › ${step.stepId}`;
      if (
        step.parameters?.some((p) => p.value === '$inputs.ovocCustomerId') &&
        scope.inputs.ovocCustomerId === undefined
      ) {
        const id =
          ctx.targetKind === 'sandbox'
            ? await sandboxOvocId(wctx.http, scope.steps.pollConversion?.customerGuid)
            : undefined;
        if (id === undefined) break;
        scope.inputs.ovocCustomerId = id;
      }
      const params = Object.fromEntries(
        (step.parameters ?? []).map((p) => [p.name, evaluate(p.value, scope)]),
      );
      if (Object.values(params).some((v) => v === undefined || v === null)) break;
      let sent: Sent;
      if (isPoll(step)) {
        const { failure } = await followTask(workflowCtx, String(params.taskId), stepCase).catch(
          stopOn(ctx.signal),
        );
        if (failure) {
          // Recorded by followTask as it is: shrinking would follow more tasks that end the same
          // way, each after the task deadline (a task that never ends made it minutes).
          stopped = `a task did not end cleanly at step ${step.stepId} (see task_lifecycle)`;
          return true;
        }
        sent = await ctx
          .send({
            method: op.method,
            path: op.path.replace('{taskId}', encodeURIComponent(String(params.taskId))),
            auth: 'token',
          })
          .catch(stopOn(ctx.signal));
      } else {
        const body = step.requestBody
          ? bind(generated[step.stepId], step.requestBody.payload, scope)
          : undefined;
        if (body !== undefined && validateRequestBody(op, body).length) {
          summary.discarded++;
          fc.pre(false);
        }
        const path = op.path.replace(/\{([^}]+)\}/g, (_, k: string) => encodeURIComponent(String(params[k])));
        const request: CheckRequest = {
          method: op.method,
          path,
          auth: 'token',
          ...(body !== undefined ? { body } : {}),
        };
        sent = await ctx.send(request).catch(stopOn(ctx.signal));
      }
      summary.cases++;
      const ex = sent.exchange;
      const outcomes = applyChecks(
        { operation: op, caseName: stepCase, kind: 'workflow', targetKind: ctx.targetKind },
        ex,
        sent.json,
      );
      if (!ex.response) {
        // Shrinking a request that got no complete answer would only wait out the deadline again.
        for (const o of outcomes) if (o.verdict === 'failed') ctx.record(o);
        stopped = `no complete response at step ${step.stepId} (${ex.networkError ?? 'no answer'})`;
        return true;
      }
      scope.statusCode = ex.response.status;
      scope.body = sent.json;
      const unmet = (step.successCriteria ?? []).filter((c) => !holds(c, scope));
      // A non-2xx answer to a request the workflow says must succeed is a failure; a task that ends
      // without success (the lead was converted before, the names broke the task's rule) ends the run.
      if (unmet.some((c) => c.condition.startsWith('$statusCode'))) {
        outcomes.push({
          operationId: op.operationId,
          check: 'positive_data_acceptance',
          verdict: 'failed',
          caseName: stepCase,
          reason: `step ${step.stepId}: ${unmet.map((c) => c.condition).join(' and ')} did not hold (status ${scope.statusCode ?? 'none'})`,
          exchange: ex,
        });
      }
      failures.push(...outcomes.filter((o) => o.verdict === 'failed'));
      for (const o of outcomes) if (o.verdict === 'passed') passed.set(`${o.operationId} ${o.check}`, o);
      if (failures.length) {
        lastFailure = failures;
        return false;
      }
      if (unmet.length) break;
      scope.steps[step.stepId] = Object.fromEntries(
        Object.entries(step.outputs ?? {}).map(([k, expr]) => [
          k,
          // A task start is `{taskId}` or, as a sibling vendor page shows, `{jobId}` (TaskStarted is
          // a oneOf); a pointer to either reads whichever the server sent.
          k === 'taskId' ? (evaluate(expr, scope) ?? taskIdOf(scope.body)) : evaluate(expr, scope),
        ]),
      );
      if (step.stepId === workflow.steps[workflow.steps.length - 1]!.stepId) completed++;
    }
    if (name && ctx.targetKind === 'live') ctx.created(first, [name]);
    return true;
  });
  const details = await fc.check(property, {
    seed,
    // A tenant has one lead to convert; the sandbox makes a fresh one per run.
    numRuns,
    maxSkipsPerRun: 5,
  });
  if (details.failed && lastFailure) {
    for (const o of lastFailure)
      ctx.record({
        ...o,
        caseName: `${o.caseName} (minimal after ${details.numShrinks} shrinks, seed ${ctx.seed})`,
      });
    const o = lastFailure[0]!;
    summary.failures.push({
      operationId: o.operationId,
      kind: 'sequence',
      label: o.caseName,
      request: o.exchange?.request ?? { method: '', path: '', auth: 'token' },
      numShrinks: details.numShrinks,
      checks: [...new Set(lastFailure.map((f) => f.check))],
    });
  } else if (details.failed) {
    skip(
      `the sequence stopped: ${String(details.errorInstance ?? 'a task did not end cleanly (see task_lifecycle)').split('\n')[0]}`,
    );
  }
  if (stopped !== undefined)
    skip(`the sequences stopped: ${stopped}; the failure is reported as it is, not shrunk`);
  summary.sequences = { runs: details.numRuns, completed };
  for (const o of passed.values())
    ctx.record({
      ...o,
      caseName,
      reason: `${details.numRuns} generated sequences, ${completed} to the last step (seed ${ctx.seed})`,
    });
}
