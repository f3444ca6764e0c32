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
export { UUID } from './ids.js';
