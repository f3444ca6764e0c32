export * from './poller.js';
export * from './timing.js';
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
  MAX_TIMER_MS,
  fullJitterDelay,
  parseHttpDate,
  parseRetryAfter,
  setLongTimeout,
  sleep,
} from '../internal/timers.js';
