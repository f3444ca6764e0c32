import type { Task } from '../types.js';
import type { Redactor } from '../internal/redact.js';
import { readTaskId } from '../internal/task-status.js';
import { UnexpectedResponseError } from './errors.js';

/**
 * The body of a Get Task answer as a Task, or an UnexpectedResponseError quoting it: a poller that
 * took `{}`, `null` or an HTML page for a task would report a success that never happened. Checks
 * only what the poller relies on (an object with a string `id` and `status`); the rest is the
 * contract's business (`validateResponses`).
 */
export function taskFrom(body: unknown, taskId?: string, redact?: Redactor): Task {
  const t = body as { id?: unknown; status?: unknown } | null;
  if (
    t &&
    typeof t === 'object' &&
    !Array.isArray(t) &&
    typeof t.id === 'string' &&
    typeof t.status === 'string'
  )
    return t as Task;
  throw new UnexpectedResponseError(
    `Get Task${taskId ? ` for ${taskId}` : ''} answered with something that is not a task (an object with a string id and status)`,
    body,
    redact,
  );
}

/**
 * The task id from an operation's first answer (see readTaskId), or an UnexpectedResponseError
 * quoting the answer.
 */
export function taskIdFrom(initial: unknown, redact?: Redactor): string {
  const id = readTaskId(initial);
  if (id !== undefined) return id;
  throw new UnexpectedResponseError(
    'No task id (a string, {taskId} or {jobId}) in the answer',
    initial,
    redact,
  );
}
