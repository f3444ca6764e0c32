// What a task's answers mean, for the client's poller and the checker's workflows alike.
import type { Task } from '../types.js';
import { segmentProblem } from './path-params.js';

/** Where a task ended, in words a caller can switch on. */
export type TaskOutcome =
  /** InProgress, or any status other than the two completed ones: the task may still change. */
  | 'in-progress'
  /** CompletedSuccess with `Converted`: the lead became a customer. */
  | 'converted'
  /** CompletedSuccess with `CustomerAlreadyConverted`: nothing was created; the lead was converted before. */
  | 'already-converted'
  /** CompletedSuccess of any other workflow (import sends `details: [null]`). */
  | 'succeeded'
  /** CompletedFailed with `ValidationFailed`: the tenant has no active lead. */
  | 'validation-failed'
  /** CompletedFailed for any other reason: see executionMessages. */
  | 'failed';

/** The outcomes of a `CompletedFailed` task: what TaskFailedError.outcome can be. */
export type FailedTaskOutcome = Extract<TaskOutcome, 'validation-failed' | 'failed'>;

/**
 * Only `CompletedSuccess` and `CompletedFailed` end a task. `InProgress`, and any status the
 * contract does not list (the vendor's prose says "In Progress" and never shows the wire value),
 * keeps a wait going: an unknown word must never read as "done".
 */
export const isTerminal = (task: Pick<Task, 'status'>): boolean =>
  task.status === 'CompletedSuccess' || task.status === 'CompletedFailed';

/** Whether a status is one the contract lists (an unknown one still keeps the poller waiting). */
export const isKnownStatus = (status: unknown): boolean =>
  status === 'InProgress' || status === 'CompletedSuccess' || status === 'CompletedFailed';

/** Tells the outcomes apart, above all a fresh conversion from one that had happened before. */
export function outcomeOf(task: Pick<Task, 'status' | 'details'>): TaskOutcome {
  const details: unknown = task.details;
  const has = (word: string) => Array.isArray(details) && details.includes(word);
  if (task.status === 'CompletedFailed') return has('ValidationFailed') ? 'validation-failed' : 'failed';
  if (task.status !== 'CompletedSuccess') return 'in-progress';
  if (has('CustomerAlreadyConverted')) return 'already-converted';
  return has('Converted') ? 'converted' : 'succeeded';
}

/** A task id (`tsk_185510`, `wst_<uuid>`): one token, so an error page is never taken for one. */
const TASK_ID = /^[^\s"'<>{}\\]{1,256}$/;

/**
 * The task id in a start's answer, in the vendor's three shapes: a bare string (import), `{taskId}`
 * (create from lead) or `{jobId}` (a sibling page); undefined unless one token fit for a path segment.
 */
export function readTaskId(initial: unknown): string | undefined {
  const o = initial as { taskId?: unknown; jobId?: unknown } | null;
  const id =
    typeof initial === 'string' ? initial : o && typeof o === 'object' ? (o.taskId ?? o.jobId) : undefined;
  return typeof id === 'string' && TASK_ID.test(id) && !segmentProblem(id) ? id : undefined;
}
