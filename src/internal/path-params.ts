// Path parameters: each value stays one segment of its operation's path template, whoever sends it
// (the client, the checker's cases, its workflows) and wherever the value came from (a caller, a
// generator, a server's answer). Encoding alone is not enough: `.` and `..` survive
// encodeURIComponent and are then resolved away by URL parsing (`getTask('..')` became
// `GET /api/v2/`), and a lone surrogate makes encodeURIComponent throw a bare URIError.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a value cannot be a path segment, or undefined when it can. */
export function segmentProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value === '.' || value === '..') return `is ${JSON.stringify(value)}, which URL parsing resolves away`;
  if (LONE_SURROGATE.test(value)) return 'holds a lone UTF-16 surrogate, which no URL can carry';
  return undefined;
}

/** A path parameter that cannot stay one segment of its operation's path. */
export class PathParameterError extends TypeError {
  override readonly name = 'PathParameterError';
  constructor(
    readonly operation: string,
    readonly parameter: string,
    why: string,
  ) {
    super(`${operation}: path parameter ${parameter} ${why}; nothing was sent.`);
  }
}

/** The value encoded as one path segment; throws PathParameterError naming the operation and parameter. */
export function pathSegment(value: unknown, operation: string | (() => string), parameter: string): string {
  const text = String(value);
  const why = segmentProblem(text);
  if (why)
    throw new PathParameterError(typeof operation === 'string' ? operation : operation(), parameter, why);
  return encodeURIComponent(text);
}

/** A path template (`/api/v2/task/{taskId}`) with every parameter filled as one segment. */
export function expandPath(template: string, params: Record<string, unknown>, operation: string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => pathSegment(params[name], operation, name));
}
