export {
  createLivePlatformClient,
  resumeTask,
  normalizeBaseUrl,
  type CallOptions,
  type ImportCustomerBody,
  type LivePlatformClient,
  type LivePlatformClientOptions,
  type LivePlatformHttpClient,
} from './createClient.js';
export type { TokenSource } from './auth.js';
export {
  LivePlatformError,
  ResponseValidationError,
  isLivePlatformError,
  unwrap,
  type ProblemFor,
  type ResponseIssue,
} from './errors.js';
export { LightRequest, type RetryInfo, type RetryOptions } from './transport.js';
