/** The media type of a Content-Type header: lower-case, without parameters, `''` when absent. */
export const mediaTypeOf = (header: string | null | undefined): string =>
  (header ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * What the client and the checker accept on every request: JSON, and the RFC 9457 problems errors
 * are. text/plain is not named, yet ASP.NET may still answer a string with it (see answer-body.ts).
 */
export const ACCEPT_JSON = 'application/json, application/problem+json';
