// The vendor's workflows as data (spec/workflows/provisioning.arazzo.json, copied to generated/ by
// `npm run generate`) and a small runner for them. The deterministic phase runs each workflow that
// names a check (`x-check`) once, with the contract's examples; the generated phase
// (fuzz/sequence.ts) runs the others with generated bodies.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { operationById, validateRequestBody, type OperationInfo } from '../contract/index.js';
import { exampleBody } from './references.js';
import { segmentProblem } from '../internal/path-params.js';
import { isKnownStatus, isTerminal, readTaskId } from '../internal/task-status.js';
import { parseRetryAfter, sleep } from '../internal/timers.js';
import type { Task } from '../types.js';
import { examplePath, isWrite } from './cases.js';
import { applyChecks, skipped } from './checks.js';
import { evaluate, holds } from './expressions.js';
import { failureText, joinUrl, type HttpTarget, type Sent } from './http.js';
import { createdBy } from './names.js';
import { nextPollGap } from './pacing.js';
import { is2xx } from '../internal/status.js';
import type {
  CheckName,
  CheckOutcome,
  CheckRequest,
  CreatedEntity,
  Criterion,
  Exchange,
  ExpressionScope,
  TargetKind,
} from './types.js';
import { isBusy } from '../internal/status.js';
import { isJsonObject } from '../internal/json.js';

/** The parts of an Arazzo step, workflow and input the checker reads. */
export interface Step {
  stepId: string;
  operationId: string;
  parameters?: { name: string; in: string; value: unknown }[];
  requestBody?: { payload?: unknown };
  successCriteria?: Criterion[];
  onFailure?: { type: string; criteria?: Criterion[] }[];
  outputs?: Record<string, string>;
  /** The check this step's success criteria stand for (the checker's extension). */
  'x-check'?: CheckName;
}
/** How the checker fills an input: a lead it may convert, a run-unique name, or a sandbox lookup. */
interface InputSchema {
  type?: string;
  'x-lead'?: boolean;
  'x-run-name'?: string;
  'x-sandbox-ovoc-customer-of'?: string;
}
export interface Workflow {
  workflowId: string;
  inputs?: { required?: string[]; properties?: Record<string, InputSchema> };
  steps: Step[];
}

const require = createRequire(import.meta.url);
export const workflowDocument = require('../../generated/workflows.json') as { workflows: Workflow[] };

/** A step that is retried while the task it reads is `InProgress` polls a task. */
export const isPollStep = (step: Step) =>
  !!step.onFailure?.some(
    (a) => a.type === 'retry' && a.criteria?.some((c) => /\$\.status\s*==\s*'InProgress'/.test(c.condition)),
  );

/** The operation that reads a task (the one the workflows poll), if any workflow polls. */
export function taskPollOperation(): OperationInfo | undefined {
  const step = workflowDocument.workflows.flatMap((w) => w.steps).find(isPollStep);
  return step ? operationById(step.operationId) : undefined;
}

/** The check a workflow exists for: the first `x-check` of its steps. */
export const workflowCheck = (w: Workflow): CheckName | undefined =>
  w.steps.map((s) => s['x-check']).find((c) => c !== undefined);

export interface WorkflowContext {
  http: HttpTarget;
  targetKind: TargetKind;
  /** False against a server the checker did not start, unless --allow-writes. */
  writesAllowed: boolean;
  prefix: string;
  leadTenantId?: string;
  pollIntervalMs: number;
  taskTimeoutMs: number;
  /** Sends a request, applies the per-response checks under the operation, and returns the exchange. */
  exchange(operation: OperationInfo, request: CheckRequest, caseName: string): Promise<Sent>;
  record(outcome: CheckOutcome): void;
  created(operationId: string, names: string[], id?: string): void;
  /** Ends every wait of the phase under way (interrupted, or its deadline). */
  signal?: AbortSignal;
  /** Told how each followed task ended (undefined: it did not end cleanly), for the created list. */
  taskEnded?(taskId: string, final: TaskEnd | undefined): void;
}

/** A task's terminal status and details, as its last poll answered them. */
export interface TaskEnd {
  status: string;
  details: unknown[];
}

const statusOf = (e: Exchange) =>
  e.response ? String(e.response.status) : `no response (${e.networkError})`;

/**
 * The task_lifecycle check. Polls the task until it is terminal, validating every answer, then
 * twice more: the status may only go from InProgress to a Completed* status, and a terminal task
 * must not change. Everything counts against the task deadline, waits for 429/503 included, and
 * after a busy answer the next poll is at least the poll interval away whatever Retry-After says,
 * so a server answering `429 Retry-After: 0` gets a few polls, not thousands (see nextPollGap).
 * Returns the last answer, which a workflow step's criteria then judge.
 */
export async function followTask(
  ctx: WorkflowContext,
  taskId: string,
  caseName: string,
): Promise<{ failure?: string; last?: Sent }> {
  const poll = taskPollOperation();
  const seen: string[] = [];
  /** Records the verdict, and tells taskEnded how the task ended (undefined: not cleanly). */
  const end = (failure: string | undefined, sent?: Sent) => {
    const task = sent?.json as { status: string; details?: unknown } | undefined;
    const ended = failure === undefined && task;
    ctx.taskEnded?.(
      taskId,
      ended ? { status: task.status, details: Array.isArray(task.details) ? task.details : [] } : undefined,
    );
    if (poll)
      ctx.record({
        operationId: poll.operationId,
        check: 'task_lifecycle',
        verdict: failure === undefined ? 'passed' : 'failed',
        caseName,
        reason: failure ?? seen.join(' -> '),
        ...(failure !== undefined && sent ? { exchange: sent.exchange } : {}),
      });
    return failure === undefined ? { last: sent! } : { failure };
  };
  if (!poll) return end('the workflows poll no task operation');
  const idParam = poll.parameters.find((p) => p.in === 'path')!.name;
  const request: CheckRequest = {
    method: poll.method,
    path: examplePath(poll, { [idParam]: taskId }),
    auth: 'token',
  };
  let terminal: string | undefined;
  let confirmations = 0;
  let busy = 0;
  let previousMs: number | undefined;
  const deadline = Date.now() + ctx.taskTimeoutMs;
  for (;;) {
    const sent = await ctx.exchange(poll, request, caseName);
    const res = sent.exchange.response;
    const status = (sent.json as { status?: unknown } | undefined)?.status;
    const wasBusy = isBusy(res?.status);
    if (wasBusy) busy++;
    else if (res?.status !== 200 || typeof status !== 'string')
      return end(`polling task ${taskId} got ${statusOf(sent.exchange)} instead of a task`, sent);
    else {
      seen.push(status);
      if (terminal) {
        if (status !== terminal) return end(`a terminal task changed: ${seen.join(' -> ')}`, sent);
        if (++confirmations >= 2) return end(undefined, sent);
      } else if (!isKnownStatus(status))
        return end(`unknown task status ${JSON.stringify(status)} (${seen.join(' -> ')})`, sent);
      else if (isTerminal({ status: status as Task['status'] })) terminal = status;
    }
    const remainingMs = deadline - Date.now();
    const gap = nextPollGap({
      intervalMs: ctx.pollIntervalMs,
      kind: wasBusy ? 'busy' : terminal ? 'terminal' : 'running',
      previousMs,
      retryAfterMs: wasBusy ? parseRetryAfter(res?.headers['retry-after']) : undefined,
      remainingMs,
      elapsedMs: ctx.taskTimeoutMs - remainingMs,
    });
    if (gap === undefined)
      return end(
        terminal
          ? `task ${taskId} ended ${terminal}, but was not confirmed within ${ctx.taskTimeoutMs} ms`
          : busy && !seen.length
            ? `${poll.operationId} answered ${statusOf(sent.exchange)} to all ${busy} polls of task ${taskId} within ${ctx.taskTimeoutMs} ms`
            : `task ${taskId} still InProgress after ${ctx.taskTimeoutMs} ms (${seen.join(' -> ') || 'no status seen'})`,
        sent,
      );
    if (!wasBusy && !terminal) previousMs = gap;
    await sleep(gap, ctx.signal);
  }
}

/** A request to the sandbox's control plane (not the contract's API), with the run's token and bounds. */
const controlPlane = (http: HttpTarget, method: string, path: string, body?: unknown) =>
  http.transport(joinUrl(http.baseUrl, path), {
    method,
    headers: {
      authorization: `Bearer ${http.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    timeoutMs: http.timeoutMs,
  });

/** Asks the sandbox's control plane for a fresh lead, so that every run converts a lead of its own. */
export async function sandboxLead(http: HttpTarget): Promise<string> {
  const msTenantId = randomUUID();
  const res = await controlPlane(http, 'POST', '/_sandbox/leads', { msTenantId });
  if (res.status !== 201) throw new Error(`POST /_sandbox/leads answered ${res.status}`);
  return msTenantId;
}

/** The sandbox's control plane knows which OVOC customer a customer is linked to; a tenant's API does not. */
export async function sandboxOvocId(http: HttpTarget, customerGuid: unknown): Promise<number | undefined> {
  if (typeof customerGuid !== 'string') return undefined;
  const res = await controlPlane(http, 'GET', `/_sandbox/customer?id=${encodeURIComponent(customerGuid)}`);
  try {
    const id = res.status === 200 && (JSON.parse(res.text) as { ovocCustomerId?: unknown }).ovocCustomerId;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined; // not the sandbox's control plane: the step is skipped
  }
}

/** Overlays the expression-valued fields of a payload on a body (an example, or a generated one). */
export function bind(base: unknown, payload: unknown, scope: ExpressionScope): unknown {
  if (typeof payload === 'string' && payload.startsWith('$')) return evaluate(payload, scope);
  if (!isJsonObject(payload)) return base ?? payload;
  const out: Record<string, unknown> =
    base && typeof base === 'object' ? { ...(base as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(payload)) {
    const bound = bind(out[k], v, scope);
    if (bound === undefined) delete out[k];
    else out[k] = bound;
  }
  return out;
}

/** How a run of a workflow sends, follows and reads; the phases differ only here. */
export interface StepIo {
  targetKind: TargetKind;
  /** Sends a step's request; returns what came back and the per-response outcomes not yet recorded. */
  send(
    op: OperationInfo,
    request: CheckRequest,
    caseName: string,
  ): Promise<{ sent: Sent; outcomes: CheckOutcome[] }>;
  /** Follows a task to its end with the task_lifecycle check. */
  follow(taskId: string, caseName: string): Promise<{ failure?: string; last?: Sent }>;
  /** The body a step's payload is laid over: the operation's example, or a generated body. */
  baseBody(step: Step, op: OperationInfo): unknown;
  /** The sandbox's OVOC id of a customer (an input the API itself never returns). */
  ovocCustomerOf?(customerGuid: unknown): Promise<number | undefined>;
}

export interface WorkflowRun {
  /** Per-response outcomes not yet recorded, and the criteria outcomes of every step. */
  outcomes: CheckOutcome[];
  /** Reached the end of the last step. */
  completed: boolean;
  /** Why the run ended before that, at which step. */
  stopped?: {
    stepId: string;
    why: 'criteria' | 'response' | 'no-response' | 'task' | 'unbound' | 'invalid-body';
    reason: string;
  };
  /** What successful writes created: names and the id the server answered. */
  created: Omit<CreatedEntity, 'result'>[];
}

/**
 * Runs one workflow with the given inputs, step by step, until a step fails or the last one ends: a
 * step sends its operation's request (the payload's expressions bound to earlier answers), or
 * follows the task it polls with the task_lifecycle check; then its success criteria are judged.
 */
export async function runWorkflow(
  workflow: Workflow,
  inputs: Record<string, unknown>,
  io: StepIo,
  caseName: string,
): Promise<WorkflowRun> {
  const scope: ExpressionScope = { inputs: { ...inputs }, steps: {} };
  const run: WorkflowRun = { outcomes: [], completed: false, created: [] };
  const check = workflowCheck(workflow);
  for (const step of workflow.steps) {
    const op = operationById(step.operationId);
    const stepCase = `${caseName} › ${step.stepId}`;
    const stop = (why: NonNullable<WorkflowRun['stopped']>['why'], reason: string) => {
      run.stopped = { stepId: step.stepId, why, reason };
      return run;
    };
    for (const [name, schema] of Object.entries(workflow.inputs?.properties ?? {}))
      if (
        schema['x-sandbox-ovoc-customer-of'] !== undefined &&
        scope.inputs[name] === undefined &&
        step.parameters?.some((p) => p.value === `$inputs.${name}`)
      )
        scope.inputs[name] = await io.ovocCustomerOf?.(evaluate(schema['x-sandbox-ovoc-customer-of'], scope));
    const params = Object.fromEntries((step.parameters ?? []).map((p) => [p.name, evaluate(p.value, scope)]));
    // A path parameter is one segment: an object (or null) where an id belongs binds nothing, and
    // neither does a value that cannot be one segment (`.`, `..`: src/internal/path-params.ts).
    const unbound = Object.keys(params).filter(
      (k) => params[k] === undefined || typeof params[k] === 'object' || !!segmentProblem(String(params[k])),
    );
    if (unbound.length) return stop('unbound', `no value for ${unbound.join(', ')}`);
    let sent: Sent;
    if (isPollStep(step)) {
      const { failure, last } = await io.follow(String(Object.values(params)[0]), stepCase);
      if (failure || !last) return stop('task', 'the task did not end cleanly (see task_lifecycle)');
      sent = last;
    } else {
      const body = step.requestBody && bind(io.baseBody(step, op), step.requestBody.payload, scope);
      if (body !== undefined && validateRequestBody(op, body).length)
        return stop('invalid-body', 'the bound body breaks the contract');
      const path = examplePath(op, params);
      const answer = await io.send(op, { method: op.method, path, auth: 'token', body }, stepCase);
      sent = answer.sent;
      run.outcomes.push(...answer.outcomes);
      const res = sent.exchange.response;
      if (!res)
        return stop('no-response', `no complete response (${sent.exchange.networkError ?? 'no answer'})`);
      // What a later step would bind from a broken answer means nothing: the run ends at the failure.
      if (answer.outcomes.some((o) => o.verdict === 'failed'))
        return stop('response', 'the answer failed a check');
      if (is2xx(res.status) && isWrite(op)) {
        const { names, id } = createdBy(op, body, sent.json);
        run.created.push({ operationId: op.operationId, names, ...(id !== undefined ? { id } : {}) });
      }
    }
    scope.statusCode = sent.exchange.response!.status;
    scope.body = sent.json;
    const criteria = step.successCriteria ?? [];
    // The check the workflow names judges all criteria; elsewhere positive_data_acceptance judges
    // the `$statusCode` ones, and any other that fails (a task that ended without success, as
    // generated names may make it) ends the run without a verdict.
    const judged = applyChecks(
      {
        operation: op,
        caseName: stepCase,
        kind: 'criteria',
        targetKind: io.targetKind,
        step: { stepId: step.stepId, criteria, scope, ...(check ? { check } : {}) },
      },
      sent.exchange,
      sent.json,
    );
    // A step that only leads to the one the workflow exists for reports its failures, not its passes.
    const own = step['x-check'] !== undefined || !check;
    run.outcomes.push(...judged.filter((o) => own || o.verdict === 'failed'));
    const unmet = criteria.filter((c) => !holds(c, scope));
    if (unmet.length) return stop('criteria', `${unmet.map((c) => c.condition).join(' and ')} did not hold`);
    scope.steps[step.stepId] = Object.fromEntries(
      Object.entries(step.outputs ?? {}).map(([k, expr]) => [
        k,
        // A task start is `{taskId}` or, as a sibling vendor page shows, `{jobId}` (TaskStarted is
        // a oneOf); a pointer to either reads whichever the server sent.
        k === 'taskId' ? (evaluate(expr, scope) ?? readTaskId(scope.body)) : evaluate(expr, scope),
      ]),
    );
  }
  run.completed = true;
  return run;
}

/** The checks a workflow's deterministic run stands for, each under its operation. */
function checksOf(w: Workflow): [operationId: string, check: CheckName][] {
  const out: [string, CheckName][] = w.steps
    .filter((s) => s['x-check'] !== undefined)
    .map((s) => [s.operationId, s['x-check']!]);
  const poll = w.steps.find(isPollStep);
  if (poll) out.push([poll.operationId, 'task_lifecycle']);
  return out;
}

/** The workflows the deterministic phase runs: those that name a check, and touch `only` if given. */
export const checkWorkflows = (only?: string) =>
  workflowDocument.workflows.filter(
    (w) => workflowCheck(w) && (!only || w.steps.some((s) => s.operationId === only)),
  );

/**
 * The deterministic phase's workflows: each one that names a check, once, with the contract's
 * examples, names of the run and a lead of its own; or a skip with the reason for each check.
 */
export async function runWorkflows(ctx: WorkflowContext, only?: string): Promise<void> {
  const workflows = checkWorkflows(only);
  const skipAll = (pairs: [string, CheckName][], caseName: string, reason: string) => {
    for (const [op, check] of pairs) ctx.record(skipped(op, check, caseName, reason));
  };
  const all = [...new Map(workflows.flatMap(checksOf).map((p) => [p.join(' '), p])).values()];
  if (ctx.targetKind === 'mock') return skipAll(all, 'workflows', 'Prism is stateless');
  if (!ctx.writesAllowed)
    return skipAll(
      all,
      'workflows',
      'the workflows write: pass --allow-writes to run them against this server',
    );
  const io: StepIo = {
    targetKind: ctx.targetKind,
    send: async (op, request, caseName) => ({
      sent: await ctx.exchange(op, request, caseName),
      outcomes: [],
    }),
    follow: (taskId, caseName) => followTask(ctx, taskId, caseName),
    baseBody: (_, op) => exampleBody(op),
    ...(ctx.targetKind === 'sandbox'
      ? { ovocCustomerOf: (guid: unknown) => sandboxOvocId(ctx.http, guid) }
      : {}),
  };
  await Promise.all(
    workflows.map(async (w) => {
      const caseName = `workflow: ${w.workflowId}`;
      const own = checksOf(w).filter(([, c]) => c !== 'task_lifecycle');
      const inputs: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(w.inputs?.properties ?? {})) {
        if (schema['x-run-name'] !== undefined) inputs[name] = ctx.prefix + schema['x-run-name'];
        if (!schema['x-lead']) continue;
        let why =
          'needs a lead that may be converted: pass --lead-tenant <msTenantId> (or set LIVE_PLATFORM_LEAD_TENANT)';
        const tenant =
          ctx.leadTenantId ||
          (ctx.targetKind === 'sandbox'
            ? await sandboxLead(ctx.http).catch((err: unknown) => {
                // `--target sandbox` on a server without the control plane: say so rather than crash.
                why = `the sandbox gave no lead (${failureText(err)}); is this server the project's sandbox? Otherwise pass --target live`;
                return undefined;
              })
            : undefined);
        if (!tenant) return skipAll(own, caseName, why);
        inputs[name] = tenant;
      }
      const run = await runWorkflow(w, inputs, io, caseName);
      for (const o of run.outcomes) ctx.record(o);
      for (const c of run.created) ctx.created(c.operationId, c.names, c.id);
      if (run.stopped && run.stopped.why !== 'criteria')
        skipAll(own, caseName, `the workflow stopped at step ${run.stopped.stepId}: ${run.stopped.reason}`);
    }),
  );
}
