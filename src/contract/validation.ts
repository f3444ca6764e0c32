import type { ErrorObject, ValidateFunction } from 'ajv';
import * as validators from '../../generated/validators.js';
import { issuesOf, type AjvError, type ValidationIssue } from '../internal/ajv-issues.js';
import { operationById, type OperationInfo } from './operations.js';

export type { ValidationIssue };

const byName = validators as unknown as Record<string, ValidateFunction | undefined>;

/** A precompiled validator by the name generated/operations.json gives it; throws when absent. */
export function validatorNamed(name: string): ValidateFunction {
  const fn = byName[name];
  if (!fn) throw new Error(`no generated validator ${name}; run npm run generate`);
  return fn;
}

/** Ajv's errors as issues (src/internal/ajv-issues.ts). */
export const formatIssues = (errors: ErrorObject[] | null | undefined): ValidationIssue[] =>
  issuesOf(errors as AjvError[] | null | undefined);

function run(name: string | null | undefined, value: unknown): ValidationIssue[] {
  if (!name) return [];
  const fn = validatorNamed(name);
  return fn(value) ? [] : formatIssues(fn.errors);
}

const op = (o: string | OperationInfo) => (typeof o === 'string' ? operationById(o) : o);

export function validateRequestBody(operation: string | OperationInfo, body: unknown): ValidationIssue[] {
  return run(op(operation).requestBody?.validator, body);
}

/** Whether a path segment is a whole number a `long` (int64) holds, as ASP.NET binds it. */
const isInt64Text = (v: string) => /^-?[0-9]{1,19}$/.test(v) && BigInt.asIntN(64, BigInt(v)) === BigInt(v);

/**
 * Path parameters arrive as strings; integer parameters are coerced before validation. Every int64
 * is an integer here, even past 2^53 where the number is no longer exact: the schema's `integer`
 * holds, and the handler must not treat the rounded value as an id (see `isExactId`).
 */
export function coerceParams(operation: OperationInfo, raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of operation.parameters) {
    const v = raw[p.name];
    if (v === undefined) continue;
    out[p.name] = p.type === 'integer' && isInt64Text(v) ? Number(v) : v;
  }
  return out;
}

/** An integer id that a number holds exactly: one past 2^53 was rounded and names no stored entity. */
export const isExactId = (id: unknown): id is number => Number.isSafeInteger(id);

export function validateParams(
  operation: string | OperationInfo,
  params: Record<string, unknown>,
): ValidationIssue[] {
  return run(op(operation).paramsValidator, params);
}

/** Whether the status is declared, and whether the body conforms to what it declares. */
export function validateResponseBody(
  operation: string | OperationInfo,
  status: number,
  body: unknown,
): { declared: boolean; issues: ValidationIssue[] } {
  const res = op(operation).responses[String(status)];
  if (!res) return { declared: false, issues: [] };
  return { declared: true, issues: run(res.validator, body) };
}

/** A `text/plain` body (ASP.NET's unquoted string result), validated as a JSON string. */
export function validateResponseText(
  operation: string | OperationInfo,
  status: number,
  text: string,
): ValidationIssue[] {
  return run(op(operation).responses[String(status)]?.textValidator, text);
}

export function validateResponseHeaders(
  operation: string | OperationInfo,
  status: number,
  headers: Record<string, string>,
): ValidationIssue[] {
  return run(op(operation).responses[String(status)]?.headersValidator, headers);
}
