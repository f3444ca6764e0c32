// Which operation a request line names, from the contract's path templates: one matcher for the
// client (which operation an answer came from) and the sandbox (routing, 404 against 405).

export type RouteMatch<R> =
  | { kind: 'operation'; operation: R; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/**
 * The path a recorded URL is matched by: as is, or, for an API behind a prefix
 * (`https://gw.example.com/lp/api/v2/...`), from the first `/api/` on.
 */
export const apiPath = (pathname: string): string => pathname.slice(Math.max(0, pathname.indexOf('/api/')));

/** `/task/{taskId}` as a pattern: the rest literal, each parameter one segment (a named group). */
const patternOf = (template: string, anyBasePath: boolean) =>
  new RegExp(
    `${anyBasePath ? '' : '^'}${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, '(?<$1>[^/]+)')}$`,
  );

function decoded(groups: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(groups)) {
    try {
      params[k] = decodeURIComponent(v);
    } catch {
      params[k] = v;
    }
  }
  return params;
}

/**
 * A matcher over routes (`path` a template). `anyBasePath` lets a base path stand before the
 * template (a client's full URL); an undefined method matches any.
 */
export function routeMatcher<R extends { method: string; path: string }>(
  routes: readonly R[],
  anyBasePath = false,
) {
  const compiled = routes.map((route) => ({ route, re: patternOf(route.path, anyBasePath) }));
  return (method: string | undefined, pathname: string): RouteMatch<R> => {
    const allow: string[] = [];
    for (const { route, re } of compiled) {
      const m = re.exec(pathname);
      if (!m) continue;
      if (!method || route.method === method.toUpperCase())
        return { kind: 'operation', operation: route, pathParams: decoded(m.groups) };
      allow.push(route.method);
    }
    return allow.length ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  };
}
