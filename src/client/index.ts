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
export type { TokenFunction, TokenRequestContext, TokenSource } from './auth.js';
export {
  clientCredentials,
  TokenRequestError,
  MAX_TOKEN_RESPONSE_BYTES,
  type ClientCredentialsOptions,
} from './token-source.js';
export {
  LivePlatformError,
  ResponseValidationError,
  isLivePlatformError,
  unwrap,
  type ProblemFor,
  type ResponseIssue,
} from './errors.js';
export { DEFAULT_MAX_RESPONSE_BYTES, LightRequest, type RetryInfo, type RetryOptions } from './transport.js';
export {
  ConnectionFailedError,
  MAX_REDIRECTS,
  RedirectError,
  ResponseTooLargeError,
  type RedirectRefusal,
} from '../internal/exchange.js';
export { PathParameterError } from '../internal/path-params.js';
