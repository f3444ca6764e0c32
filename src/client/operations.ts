import { operationIds } from '../../generated/operation-ids.js';
import type { OperationId } from '../../generated/operation-ids.js';

// From the small generated map, not operations.json: this module is on the client entry's path.
const routes = Object.entries(operationIds).map(([key, id]) => {
  const [method, path] = key.split(' ') as [string, string];
  return { method, re: new RegExp(`${path.replace(/\{[^}]+\}/g, '[^/]+')}$`), id };
});

/** The operation a request went to, from its method and URL (any base path before it). */
export function operationIdOf(method: string | undefined, url: string): OperationId | undefined {
  const path = url.replace(/[?#].*$/, '');
  return routes.find((r) => (!method || r.method === method) && r.re.test(path))?.id;
}

/**
 * The operation (or operations, `a/b`) of a path template, for errors about its parameters;
 * openapi-fetch hands the template with the base URL in front.
 */
export function operationOfTemplate(template: string): string {
  const ids = Object.entries(operationIds)
    .filter(([key]) => template.endsWith(key.slice(key.indexOf(' ') + 1)))
    .map(([, id]) => id);
  return ids.length ? ids.join('/') : template;
}

/** The operation of an openapi-fetch call, from its method and schema path. */
export const operationIdFor = (method: string, schemaPath: string): OperationId | undefined =>
  (operationIds as Record<string, OperationId>)[`${method} ${schemaPath}`];

/** The operation of each failed response the transport saw; unwrap() reads it (response.url may be empty). */
export const failedResponseOperation = new WeakMap<Response, OperationId>();

/**
 * The Authorization header each response's request carried (set by the transport): errors that
 * quote an answer blank that token in every encoding a server may echo it in.
 */
export const responseCredentials = new WeakMap<Response, string>();
