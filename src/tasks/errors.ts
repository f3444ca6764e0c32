import type { ExecutionMessage, Task } from '../types.js';
import { excerpt } from '../internal/excerpt.js';
import { redactor, type Redactor } from '../internal/redact.js';
import { outcomeOf, readTaskId, type FailedTaskOutcome } from '../internal/task-status.js';
import { isJsonObject } from '../internal/json.js';

/** How much of an unexpected body an error quotes: enough to recognise it, never a whole page. */
export const EXCERPT_CHARS = 200;

/**
 * A body quoted in an error: bounded, on one line, `redact` (the client's, which knows its token)
 * applied before the cut. Without one, JWTs are still blanked: an echo must not reach a log.
 */
export function quoted(body: unknown, redact: Redactor = jwtsOnly): string {
  return excerpt(body, EXCERPT_CHARS, { redact, flatten: true });
}

const jwtsOnly = redactor([], { jwts: true });

/** Sets the server's words as sent as fields a logger does not print (it prints the redacted message). */
export function hide(error: Error, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields))
    Object.defineProperty(error, key, { value, enumerable: false });
}

/**
 * A 2xx answer whose body is not what the operation returns: Get Task without a task, a start
 * without a task id. Quotes an excerpt of the body (never headers, so never the token).
 */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  /** At most EXCERPT_CHARS characters of the body. */
  readonly excerpt: string;
  constructor(what: string, body: unknown, redact?: Redactor) {
    const text = quoted(body, redact);
    super(`${what}: ${text === '' ? '(empty body)' : text}`);
    this.excerpt = text;
  }
}

/**
 * A Get Task body as a Task, or an UnexpectedResponseError quoting it (`{}` or HTML taken for a task
 * would be a success that never happened). Checks only what the poller relies on; the rest is
 * `validateResponses`' business.
 */
export function taskFrom(body: unknown, taskId?: string, redact?: Redactor): Task {
  const t = (isJsonObject(body) ? body : {}) as Partial<Task>;
  if (typeof t.id === 'string' && typeof t.status === 'string') return t as Task;
  throw new UnexpectedResponseError(
    `Get Task${taskId ? ` for ${taskId}` : ''} answered with something that is not a task (an object with a string id and status)`,
    body,
    redact,
  );
}

/** The task id in a start's answer (see readTaskId), or an UnexpectedResponseError quoting it. */
export function taskIdFrom(initial: unknown, redact?: Redactor): string {
  const id = readTaskId(initial);
  if (id !== undefined) return id;
  throw new UnexpectedResponseError(
    'No task id (a string, {taskId} or {jobId}) in the answer',
    initial,
    redact,
  );
}

/** A task ended `CompletedFailed`. Carries the whole task, its details and its log. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  declare readonly task: Task;
  readonly taskId: string;
  /** `validation-failed` (the tenant has no active lead) or `failed` (any other reason). */
  readonly outcome: FailedTaskOutcome;
  declare readonly details: Task['details'];
  declare readonly executionMessages: ExecutionMessage[];

  constructor(task: Task, redact?: Redactor) {
    // A failure is a failure whether or not the server sent details or a log.
    const details = Array.isArray(task.details) ? task.details : [];
    const log = Array.isArray(task.executionMessages) ? task.executionMessages : [];
    const errors = log.filter((m) => m?.level === 'Error').map((m) => m.message);
    const text =
      `Task ${task.id} failed${details.length ? ` (${details.join()})` : ''}` +
      (errors.length ? `: ${errors.join(' ')}` : '');
    // Quoted like any body, but not cut: a failed task's log is what its caller needs.
    super(excerpt(text, Infinity, { redact: redact ?? jwtsOnly, flatten: true }));
    hide(this, { task, details, executionMessages: log });
    this.taskId = task.id;
    // Whatever the task passed in says, this error is a failure: the outcome is one of the two.
    this.outcome = outcomeOf(task) === 'validation-failed' ? 'validation-failed' : 'failed';
  }
}

/** The overall deadline passed while the task was still running. The task itself goes on. */
export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError';
  constructor(
    readonly taskId: string | undefined,
    readonly timeoutMs: number,
    /** The last state a poll returned, if any did. */
    readonly lastTask: Task | undefined = undefined,
  ) {
    super(
      `Task ${taskId ?? '(not started)'} still running after ${timeoutMs} ms: raise timeoutMs, or resume later (resumeTask)`,
    );
  }
}
