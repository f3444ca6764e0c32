import type { ExecutionMessage, Task } from '../types.js';
import { outcomeOf, type FailedTaskOutcome } from './status.js';

/** How much of an unexpected body an error quotes: enough to recognise it, never a whole page. */
export const EXCERPT_CHARS = 200;

/** Runs of control characters: flattened to a space, so a hostile body cannot forge lines in a log. */
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

/**
 * A body quoted in an error with anything shaped like a credential blanked: a server that echoes the
 * request (a debug proxy, a hostile one) must not put the bearer token into logs through us.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(bearer\s+)[^\s"',;]+/gi, '$1[redacted]')
    .replace(/eyJ[\w-]{8,}(?:\.[\w-]*){0,2}/g, '[redacted JWT]');
}

/** A bounded, printable excerpt of a body: JSON for values, the text itself for text; secrets blanked. */
export function excerptOf(body: unknown): string {
  let text: string;
  try {
    text = body === undefined ? '' : typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  } catch {
    text = String(body);
  }
  // Redacted before the cut to EXCERPT_CHARS, so no token is quoted in part.
  const flat = redactSecrets(text.slice(0, 20 * EXCERPT_CHARS))
    .slice(0, EXCERPT_CHARS + 1)
    .replace(CONTROLS, ' ');
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/**
 * A 2xx answer whose body is not what the operation returns: Get Task without a task, a start
 * without a task id. Quotes an excerpt of the body (never headers, so never the token).
 */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  /** At most EXCERPT_CHARS characters of the body. */
  readonly excerpt: string;
  constructor(what: string, body: unknown) {
    const excerpt = excerptOf(body);
    super(`${what}: ${excerpt === '' ? '(empty body)' : excerpt}`);
    this.excerpt = excerpt;
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

  constructor(task: Task) {
    // A failure is a failure whether or not the server sent details or a log.
    const details = Array.isArray(task.details) ? task.details : [];
    const log = Array.isArray(task.executionMessages) ? task.executionMessages : [];
    const errors = log.filter((m) => m?.level === 'Error').map((m) => m.message);
    const text =
      `Task ${task.id} failed${details.length ? ` (${details.join()})` : ''}` +
      (errors.length ? `: ${errors.join(' ')}` : '');
    // The server's words, quoted like any body: credentials blanked, no line breaks.
    super(redactSecrets(text).replace(CONTROLS, ' '));
    Object.assign(this, {
      task,
      taskId: task.id,
      // Whatever the task passed in says, this error is a failure: the outcome is one of the two.
      outcome: outcomeOf(task) === 'validation-failed' ? 'validation-failed' : 'failed',
      details,
      executionMessages: log,
    });
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
