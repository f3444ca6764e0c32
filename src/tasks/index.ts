export {
  TaskPoller,
  taskIdFromSerialized,
  type PollTask,
  type PolledTask,
  type WaitOptions,
} from './poller.js';
export { TaskFailedError, TaskTimeoutError, UnexpectedResponseError } from './errors.js';
export {
  isKnownStatus,
  isTerminal,
  outcomeOf,
  taskFrom,
  taskIdFrom,
  type FailedTaskOutcome,
  type TaskOutcome,
} from './status.js';
export {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TASK_TIMEOUT_MS,
  MAX_TIMER_MS,
  POLL_JITTER,
  fullJitterDelay,
  parseHttpDate,
  parseRetryAfter,
  pollDelay,
  setLongTimeout,
  sleep,
} from './timing.js';
export { httpPollTask, parseBody, startTask, type ResultCheck } from './http.js';
