import type { Task } from '../types.js';

/** Where a task ended, in words a caller can switch on. */
export type TaskOutcome =
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

/** `InProgress` is the only status that can still change. */
export const isTerminal = (task: Pick<Task, 'status'>): boolean => task.status !== 'InProgress';

/** Tells the outcomes apart, above all a fresh conversion from one that had happened before. */
export function outcomeOf(task: Pick<Task, 'status' | 'details'>): TaskOutcome {
  const has = (word: string) => (task.details ?? []).includes(word);
  return task.status === 'InProgress'
    ? 'in-progress'
    : task.status === 'CompletedFailed'
      ? has('ValidationFailed')
        ? 'validation-failed'
        : 'failed'
      : has('CustomerAlreadyConverted')
        ? 'already-converted'
        : has('Converted')
          ? 'converted'
          : 'succeeded';
}

/**
 * The task id from an operation's first answer, in any of the vendor's three shapes: a bare string
 * (import: `"tsk_185510"`), `{taskId}` (create from lead, v3) or `{jobId}` (a sibling page).
 */
export function taskIdFrom(initial: unknown): string {
  const o = initial as { taskId?: unknown; jobId?: unknown } | null;
  const id = typeof initial === 'string' ? initial : (o?.taskId ?? o?.jobId);
  if (typeof id === 'string' && id) return id;
  throw new TypeError(`No task id (a string, {taskId} or {jobId}) in the answer ${JSON.stringify(initial)}`);
}
