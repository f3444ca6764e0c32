import type { ExecutionMessage, Task } from '../types.js';
import { excerpt } from '../internal/excerpt.js';
import { redactor, type Redactor } from '../internal/redact.js';
import { outcomeOf, type FailedTaskOutcome } from '../internal/task-status.js';

/** How much of an unexpected body an error quotes: enough to recognise it, never a whole page. */
export const EXCERPT_CHARS = 200;

/**
 * A body quoted in an error: bounded, on one line, with `redact` (the client's, which knows the
 * token it sent) applied to the whole before the cut. Without one, JWT-shaped strings are still
 * blanked: a server that echoes the request must not put a credential into logs through us.
 */
export function quoted(body: unknown, redact: Redactor = jwtsOnly): string {
  return excerpt(body, EXCERPT_CHARS, { redact, flatten: true });
}

const jwtsOnly = redactor([], { jwts: true });

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

/** A task ended `CompletedFailed`. Carries the whole task, its details and its log. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  declare readonly task: Task;
  declare readonly taskId: string;
  /** `validation-failed` (the tenant has no active lead) or `failed` (any other reason). */
  declare readonly outcome: FailedTaskOutcome;
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
    // The server's words, quoted like any body: credentials blanked, no line breaks (not cut: a
    // failed task's log is what its caller needs).
    super(excerpt(text, Infinity, { redact: redact ?? jwtsOnly, flatten: true }));
    // The task as the server sent it, but not enumerable, like LivePlatformError's `problem`: a
    // logger that prints the error's fields prints the redacted message, never an echoed token.
    const hidden = (value: unknown) => ({ value, enumerable: false });
    Object.defineProperties(this, {
      task: hidden(task),
      details: hidden(details),
      executionMessages: hidden(log),
    });
    // Whatever the task passed in says, this error is a failure: the outcome is one of the two.
    const outcome: FailedTaskOutcome =
      outcomeOf(task) === 'validation-failed' ? 'validation-failed' : 'failed';
    Object.assign(this, { taskId: task.id, outcome });
  }
}

/** The overall deadline passed while the task was still running. The task itself goes on. */
export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError';
  declare readonly taskId: string | undefined;
  declare readonly timeoutMs: number;
  /** The last state a poll returned, if any did. */
  declare readonly lastTask: Task | undefined;

  constructor(taskId: string | undefined, timeoutMs: number, lastTask?: Task) {
    super(
      `Task ${taskId ?? '(not started)'} still running after ${timeoutMs} ms: raise timeoutMs, or resume later (resumeTask)`,
    );
    Object.assign(this, { taskId, timeoutMs, lastTask });
  }
}
