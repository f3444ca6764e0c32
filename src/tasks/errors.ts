import type { ExecutionMessage, Task } from '../types.js';
import { outcomeOf, type TaskOutcome } from './status.js';

/** A task ended `CompletedFailed`. Carries the whole task, its details and its log. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  declare readonly task: Task;
  declare readonly taskId: string;
  /** `failed` or `validation-failed` (no active lead). */
  declare readonly outcome: TaskOutcome;
  declare readonly details: Task['details'];
  declare readonly executionMessages: ExecutionMessage[];

  constructor(task: Task) {
    const log = task.executionMessages ?? [];
    super(
      `Task ${task.id} failed (${task.details.join()}): ` +
        log
          .filter((m) => m.level === 'Error')
          .map((m) => m.message)
          .join(' '),
    );
    Object.assign(this, {
      task,
      taskId: task.id,
      outcome: outcomeOf(task),
      details: task.details,
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
