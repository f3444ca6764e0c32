import { createRequire } from 'node:module';
import { routeMatcher, type RouteMatch as Match } from '../internal/routes.js';

/** One entry of generated/operations.json, the operation index scripts/spec-walk.mjs derives. */
export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  summary: string;
  secured: boolean;
  /** Changes no state: a safe method, or `x-safe: true` in the contract (verifyLcCustomer's PUT). */
  safe: boolean;
  parameters: {
    name: string;
    in: string;
    required: boolean;
    type: string | string[];
    schemaPointer: string;
  }[];
  paramsValidator: string | null;
  requestBody: {
    required: boolean;
    mediaTypes: string[];
    schemaPointer: string;
    validator: string;
    examples: string[];
  } | null;
  responses: Record<
    string,
    {
      mediaTypes: string[];
      schemaPointer: string | null;
      validator: string | null;
      headers: Record<string, { required: boolean; schemaPointer: string }>;
      headersValidator: string | null;
      /** Validates a `text/plain` body, given as a string (the import's unquoted task id). */
      textValidator: string | null;
      /** The response declares `x-empty-body: true`: no body at all conforms too (ASP.NET's 401). */
      emptyBodyAllowed: boolean;
      examples: string[];
    }
  >;
}

const require = createRequire(import.meta.url);

export const operations: readonly OperationInfo[] = require('../../generated/operations.json');

export type RouteMatch = Match<OperationInfo>;

/** Finds the operation for a request line; tells 404 (no such path) from 405 (path, wrong method). */
export const matchRoute: (method: string, pathname: string) => RouteMatch = routeMatcher(operations);

export function operationById(operationId: string): OperationInfo {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`unknown operationId ${operationId}`);
  return op;
}
