export * from './createClient.js';
export type { TokenFunction, TokenRequestContext, TokenSource } from './auth.js';
export * from './token-source.js';
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
