import { randomUUID } from 'node:crypto';
import { operations, specExample, type OperationInfo } from '../contract/index.js';
import { parseRetryAfter, sleep } from '../tasks/timing.js';
import { nextPollGap } from './pacing.js';
import { examplePath } from './cases.js';
import { skipped } from './checks.js';
import { failureText, joinUrl, type HttpTarget, type Sent } from './http.js';
import type { CheckName, CheckOutcome, CheckRequest, Exchange, TargetKind } from './types.js';

const TERMINAL = new Set(['CompletedSuccess', 'CompletedFailed']);

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
  taskEnded?(taskId: string, final: TaskState | undefined): void;
}

const byId = (id: string) => operations.find((o) => o.operationId === id);
const is2xx = (e: Exchange) => !!e.response && e.response.status >= 200 && e.response.status < 300;
const statusOf = (e: Exchange) =>
  e.response ? String(e.response.status) : `no response (${e.networkError})`;

/** The id of a task a write queued: a bare string (import), `{ taskId }` or `{ jobId }` (from lead). */
export function taskIdOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    const o = body as { taskId?: unknown; jobId?: unknown };
    const id = o.taskId ?? o.jobId;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

export interface TaskState {
  status: string;
  details: unknown[];
}

/**
 * Polls getTask until the task is terminal, validating every answer, then twice more: the status
 * may only go from InProgress to a Completed* status, and a terminal task must not change.
 * Everything counts against the task deadline, waits for 429/503 included, and after a busy
 * answer the next poll is at least the poll interval away whatever Retry-After says, so a server
 * answering `429 Retry-After: 0` gets a few polls, not thousands (see nextPollGap).
 */
export async function followTask(
  ctx: WorkflowContext,
  taskId: string,
  caseName: string,
): Promise<{ final?: TaskState; failure?: string }> {
  const result = await pollTask(ctx, taskId, caseName);
  ctx.taskEnded?.(taskId, result.final);
  return result;
}

async function pollTask(
  ctx: WorkflowContext,
  taskId: string,
  caseName: string,
): Promise<{ final?: TaskState; failure?: string }> {
  const getTask = byId('getTask');
  if (!getTask) return { failure: 'the contract has no getTask operation' };
  const request: CheckRequest = { method: 'GET', path: examplePath(getTask, { taskId }), auth: 'token' };
  const seen: string[] = [];
  let terminal: TaskState | undefined;
  let confirmations = 0;
  let busy = 0;
  let previousMs: number | undefined;
  const deadline = Date.now() + ctx.taskTimeoutMs;
  const fail = (why: string, exchange?: Exchange) => {
    ctx.record({
      operationId: 'getTask',
      check: 'task_lifecycle',
      verdict: 'failed',
      caseName,
      reason: why,
      ...(exchange ? { exchange } : {}),
    });
    return { failure: why };
  };
  for (;;) {
    const { exchange: ex, json } = await ctx.exchange(getTask, request, caseName);
    const res = ex.response;
    let retryAfterMs: number | undefined;
    const wasBusy = res?.status === 429 || res?.status === 503;
    if (wasBusy) {
      busy++;
      retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    } else {
      const task = json as Partial<TaskState> | undefined;
      if (!res || res.status !== 200 || !task || typeof task.status !== 'string') {
        return fail(`polling task ${taskId} got ${statusOf(ex)} instead of a task`, ex);
      }
      seen.push(task.status);
      const trail = seen.join(' -> ');
      if (terminal) {
        if (task.status !== terminal.status) return fail(`a terminal task changed: ${trail}`, ex);
        if (++confirmations >= 2) {
          ctx.record({
            operationId: 'getTask',
            check: 'task_lifecycle',
            verdict: 'passed',
            caseName,
            reason: trail,
          });
          return { final: terminal };
        }
      } else if (TERMINAL.has(task.status)) {
        terminal = { status: task.status, details: Array.isArray(task.details) ? task.details : [] };
      } else if (task.status !== 'InProgress') {
        return fail(`unknown task status ${JSON.stringify(task.status)} (${trail})`, ex);
      }
    }
    const gap = nextPollGap({
      intervalMs: ctx.pollIntervalMs,
      kind: wasBusy ? 'busy' : terminal ? 'terminal' : 'running',
      ...(previousMs !== undefined ? { previousMs } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      remainingMs: deadline - Date.now(),
      elapsedMs: ctx.taskTimeoutMs - (deadline - Date.now()),
    });
    if (gap === undefined) {
      const why = terminal
        ? `task ${taskId} ended ${terminal.status}, but was not confirmed within ${ctx.taskTimeoutMs} ms`
        : busy && !seen.length
          ? `getTask answered ${statusOf(ex)} to all ${busy} polls of task ${taskId} within ${ctx.taskTimeoutMs} ms`
          : `task ${taskId} still InProgress after ${ctx.taskTimeoutMs} ms (${seen.join(' -> ') || 'no status seen'})`;
      return fail(why, ex);
    }
    if (!wasBusy && !terminal) previousMs = gap;
    await sleep(gap, ctx.signal);
  }
}

function skipAll(ctx: WorkflowContext, checks: [string, CheckName][], caseName: string, reason: string) {
  for (const [op, check] of checks) ctx.record(skipped(op, check, caseName, reason));
}

/** Convert a lead, then convert it again: the second task ends CompletedSuccess ["CustomerAlreadyConverted"]. */
async function leadWorkflow(ctx: WorkflowContext, leadTenantId: string, caseName: string) {
  const op = byId('createCustomerFromLead')!;
  const example = op.requestBody?.examples[0];
  if (!example) return;
  const body: Record<string, unknown> = {
    ...specExample<Record<string, unknown>>(example),
    msTenantId: leadTenantId,
  };
  for (const key of ['customerShortName', 'customerFullName'])
    if (key in body) body[key] = `${ctx.prefix}lead`;
  const request: CheckRequest = { method: op.method, path: examplePath(op), auth: 'token', body };
  const finals: (TaskState | undefined)[] = [];
  for (const attempt of ['first', 'second'] as const) {
    const { exchange: ex, json } = await ctx.exchange(op, request, `${caseName} (${attempt} conversion)`);
    const taskId = is2xx(ex) ? taskIdOf(json) : undefined;
    if (!taskId) {
      ctx.record({
        operationId: op.operationId,
        check: 'already_converted',
        verdict: 'failed',
        caseName,
        reason: `the ${attempt} conversion got ${statusOf(ex)} without a task id`,
        exchange: ex,
      });
      return;
    }
    if (attempt === 'first') ctx.created(op.operationId, [`${ctx.prefix}lead`], taskId);
    const { final } = await followTask(ctx, taskId, `${caseName} (${attempt} conversion task)`);
    if (!final) {
      ctx.record(
        skipped(
          op.operationId,
          'already_converted',
          caseName,
          'the conversion task did not end cleanly (see task_lifecycle)',
        ),
      );
      return;
    }
    finals.push(final);
  }
  const [first, second] = finals as [TaskState, TaskState];
  const describe = (t: TaskState) => `${t.status} ${JSON.stringify(t.details)}`;
  const ok =
    first.status === 'CompletedSuccess' &&
    second.status === 'CompletedSuccess' &&
    second.details.includes('CustomerAlreadyConverted');
  ctx.record({
    operationId: op.operationId,
    check: 'already_converted',
    verdict: ok ? 'passed' : 'failed',
    caseName,
    reason: ok
      ? `first ${describe(first)}, second ${describe(second)}`
      : `converting the lead twice ended first ${describe(first)}, second ${describe(second)}; expected the second CompletedSuccess ["CustomerAlreadyConverted"]`,
  });
}

/** Create an essentials customer, then the same again: the duplicate is refused with a declared 4xx. */
async function duplicateWorkflow(ctx: WorkflowContext, caseName: string) {
  const op = byId('createEssentialsCustomer')!;
  const example = op.requestBody?.examples[0];
  if (!example) return;
  const name = `${ctx.prefix}dup`;
  const body = { ...specExample<Record<string, unknown>>(example), shortName: name, fullName: name };
  const request: CheckRequest = { method: op.method, path: examplePath(op), auth: 'token', body };
  const { exchange: first, json } = await ctx.exchange(op, request, `${caseName} (first)`);
  if (!is2xx(first)) {
    ctx.record(
      skipped(
        op.operationId,
        'duplicate_refused',
        caseName,
        `the first creation got ${statusOf(first)}, so there is nothing to duplicate`,
      ),
    );
    return;
  }
  const id = (json as { id?: unknown } | undefined)?.id;
  ctx.created(op.operationId, [name], typeof id === 'string' ? id : undefined);
  const { exchange: second } = await ctx.exchange(op, request, `${caseName} (duplicate)`);
  const s = second.response?.status;
  const refused = s !== undefined && s >= 400 && s < 500 && op.responses[String(s)] !== undefined;
  ctx.record({
    operationId: op.operationId,
    check: 'duplicate_refused',
    verdict: refused ? 'passed' : 'failed',
    caseName,
    ...(refused
      ? { reason: `refused with ${s}` }
      : {
          reason: `a duplicate short name got ${statusOf(second)}; expected a 4xx the spec declares`,
          exchange: second,
        }),
  });
  if (!refused && is2xx(second)) ctx.created(op.operationId, [name]);
}

/** Asks the sandbox's control plane for a fresh lead, so that every run converts a lead of its own. */
export async function sandboxLead(http: HttpTarget): Promise<string> {
  const msTenantId = randomUUID();
  const res = await http.transport(joinUrl(http.baseUrl, '/_sandbox/leads'), {
    method: 'POST',
    headers: { authorization: `Bearer ${http.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ msTenantId }),
    timeoutMs: http.timeoutMs,
  });
  if (res.status !== 201) throw new Error(`POST /_sandbox/leads answered ${res.status}`);
  return msTenantId;
}

const LEAD_CHECKS: [string, CheckName][] = [
  ['createCustomerFromLead', 'already_converted'],
  ['getTask', 'task_lifecycle'],
];
const DUPLICATE_CHECKS: [string, CheckName][] = [['createEssentialsCustomer', 'duplicate_refused']];

/** The stateful workflows the vendor describes, or a skip with the reason for each of their checks. */
export async function runWorkflows(ctx: WorkflowContext): Promise<void> {
  const leadCase = 'workflow: convert a lead twice';
  const dupCase = 'workflow: create a duplicate essentials customer';
  if (!byId('createCustomerFromLead') || !byId('getTask') || !byId('createEssentialsCustomer')) return;
  if (ctx.targetKind === 'mock') {
    skipAll(ctx, [...LEAD_CHECKS, ...DUPLICATE_CHECKS], 'workflows', 'Prism is stateless');
    return;
  }
  if (!ctx.writesAllowed) {
    skipAll(
      ctx,
      [...LEAD_CHECKS, ...DUPLICATE_CHECKS],
      'workflows',
      'the workflows write: pass --allow-writes to run them against this server',
    );
    return;
  }
  const lead = async () => {
    let tenant = ctx.leadTenantId;
    if (!tenant && ctx.targetKind === 'sandbox') {
      try {
        tenant = await sandboxLead(ctx.http);
      } catch (err) {
        // `--target sandbox` on a server without the control plane: say so rather than crash.
        skipAll(
          ctx,
          LEAD_CHECKS.slice(0, 1),
          leadCase,
          `the sandbox gave no lead (${failureText(err)}); is this server the project's sandbox? Otherwise pass --target live`,
        );
        return;
      }
    }
    if (!tenant) {
      skipAll(
        ctx,
        LEAD_CHECKS.slice(0, 1),
        leadCase,
        'needs a lead that may be converted: pass --lead-tenant <msTenantId> (or set LIVE_PLATFORM_LEAD_TENANT)',
      );
      return;
    }
    await leadWorkflow(ctx, tenant, leadCase);
  };
  await Promise.all([lead(), duplicateWorkflow(ctx, dupCase)]);
}
