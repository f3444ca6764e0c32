// The package entry: the client and the poller. The sandbox, the checker and the validators are
// other entries (or a dynamic import), so a consumer's bundle stays small.
export {
  createLivePlatformClient,
  resumeTask,
  normalizeBaseUrl,
  LivePlatformError,
  RedirectError,
  ResponseTooLargeError,
  ResponseValidationError,
  isLivePlatformError,
  unwrap,
  LightRequest,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_REDIRECTS,
  type CallOptions,
  type ImportCustomerBody,
  type LivePlatformClient,
  type LivePlatformClientOptions,
  type LivePlatformHttpClient,
  type ProblemFor,
  type RedirectRefusal,
  type ResponseIssue,
  type RetryInfo,
  type RetryOptions,
  type TokenSource,
  type TokenFunction,
  type TokenRequestContext,
  clientCredentials,
  TokenRequestError,
  type ClientCredentialsOptions,
} from './client/index.js';
export {
  TaskPoller,
  TaskFailedError,
  TaskTimeoutError,
  UnexpectedResponseError,
  isKnownStatus,
  isTerminal,
  outcomeOf,
  taskIdFrom,
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TASK_TIMEOUT_MS,
  type PollTask,
  type PolledTask,
  type FailedTaskOutcome,
  type TaskOutcome,
  type WaitOptions,
} from './tasks/index.js';
export { parseLiveDate } from './dates.js';
export type { paths, components, operations } from '../generated/schema.js';
export type { OperationId } from '../generated/operation-ids.js';
export type * from './types.js';
