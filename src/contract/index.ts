export { operations, matchRoute, operationById, type OperationInfo, type RouteMatch } from './operations.js';
export {
  validateRequestBody,
  validateParams,
  validateResponseBody,
  validateResponseHeaders,
  validateResponseText,
  coerceParams,
  isExactId,
  formatIssues,
  type ValidationIssue,
} from './validation.js';
export { loadSpec, specExample, schemaPropertyNames, bundledSpecPath, type OpenApiDocument } from './spec.js';

/** A uuid in its canonical 8-4-4-4-12 hex form (no `urn:uuid:` prefix, unlike Ajv's `uuid` format). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
