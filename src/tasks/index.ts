export {
  TaskPoller,
  taskIdFromSerialized,
  type PollTask,
  type PolledTask,
  type WaitOptions,
} from './poller.js';
export {
  TaskFailedError,
  TaskTimeoutError,
  UnexpectedResponseError,
  taskFrom,
  taskIdFrom,
} from './errors.js';
export {
  isKnownStatus,
  isTerminal,
  outcomeOf,
  type FailedTaskOutcome,
  type TaskOutcome,
} from '../internal/task-status.js';
export {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TASK_TIMEOUT_MS,
  POLL_JITTER,
  pollDelay,
} from './timing.js';
export {
  MAX_TIMER_MS,
  fullJitterDelay,
  parseHttpDate,
  parseRetryAfter,
  setLongTimeout,
  sleep,
} from '../internal/timers.js';
