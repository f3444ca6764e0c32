import { operationIds, type OperationId } from '../../generated/operation-ids.js';
import { routeMatcher } from '../internal/routes.js';

// From the small generated map, not operations.json: this module is on the client entry's path.
const matchUrl = routeMatcher(
  Object.entries(operationIds).map(([key, id]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method, path, id };
  }),
  true,
);

/**
 * The operation a request went to, from its method (any, when undefined) and URL (any base path
 * before it); a path template matches too (`{taskId}` is one segment).
 */
export function operationIdOf(method: string | undefined, url: string): OperationId | undefined {
  const match = matchUrl(method, url.replace(/[?#].*$/, ''));
  return match.kind === 'operation' ? match.operation.id : undefined;
}

/** The operation of an openapi-fetch call, from its method and schema path. */
export const operationIdFor = (method: string, schemaPath: string): OperationId | undefined =>
  (operationIds as Record<string, OperationId>)[`${method} ${schemaPath}`];

/**
 * What the transport knew of each response it handed on, for unwrap(): the Authorization its
 * request carried (errors that quote the answer blank that token in every encoding a server may
 * echo it in) and, when it failed, its operation (response.url may be empty).
 */
export const sentWith = new WeakMap<Response, { credential: string | null; operationId?: OperationId }>();
