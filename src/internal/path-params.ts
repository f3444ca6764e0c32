// Each path parameter stays one segment, whoever sends it. Encoding is not enough: URL parsing
// resolves `.` and `..` away (`getTask('..')` became `GET /api/v2/`), and a lone surrogate throws.

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

/**
 * A path template with each parameter filled as one encoded segment (left as written without a
 * value), or a PathParameterError: the one filler of the client's calls and the checker's cases.
 */
export function expandPath(
  template: string,
  valueOf: (name: string) => unknown,
  operation: string | (() => string),
): string {
  return template.replace(/\{([^}]+)\}/g, (m, name: string) => {
    const v = valueOf(name);
    if (v === undefined || v === null) return m;
    const why = segmentProblem(String(v));
    if (why) throw new PathParameterError(typeof operation === 'string' ? operation : operation(), name, why);
    return encodeURIComponent(String(v));
  });
}
