export {
  TaskPoller,
  taskIdFromSerialized,
  type PollTask,
  type PolledTask,
  type WaitOptions,
} from './poller.js';
export { TaskFailedError, TaskTimeoutError } from './errors.js';
export { isTerminal, outcomeOf, taskIdFrom, type TaskOutcome } from './status.js';
export {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TASK_TIMEOUT_MS,
  POLL_JITTER,
  fullJitterDelay,
  parseRetryAfter,
  pollDelay,
  sleep,
} from './timing.js';
export { httpPollTask, startTask } from './http.js';
