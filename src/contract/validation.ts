import type { ErrorObject, ValidateFunction } from 'ajv';
import * as validators from '../../generated/validators.js';
import { operationById, type OperationInfo } from './operations.js';

/** A validation failure, with the JSON path of the offending value (`/executionMessages/0/level`). */
export interface ValidationIssue {
  path: string;
  message: string;
  /** The JSON-Schema keyword that failed (`pattern`, `required`, ...). */
  keyword?: string;
  /**
   * Where the keyword sits: `#/components/...` in the bundled contract, or `#/...` inside the
   * validated schema itself; says what evidence the broken rule rests on (src/check/evidence.ts).
   */
  schemaPath?: string;
}

const byName = validators as unknown as Record<string, ValidateFunction | undefined>;

export function formatIssues(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
        : e.keyword === 'enum'
          ? `: ${JSON.stringify((e.params as { allowedValues?: unknown[] }).allowedValues)}`
          : '';
    return {
      path: e.instancePath || '/',
      message: `${e.message ?? e.keyword}${extra}`,
      keyword: e.keyword,
      schemaPath: e.schemaPath,
    };
  });
}

function run(name: string | null | undefined, value: unknown): ValidationIssue[] {
  if (!name) return [];
  const fn = byName[name];
  if (!fn) throw new Error(`no generated validator ${name}; run npm run generate`);
  return fn(value) ? [] : formatIssues(fn.errors);
}

const op = (o: string | OperationInfo) => (typeof o === 'string' ? operationById(o) : o);

export function validateRequestBody(operation: string | OperationInfo, body: unknown): ValidationIssue[] {
  return run(op(operation).requestBody?.validator, body);
}

/** Path parameters arrive as strings; integer parameters are coerced before validation. */
export function coerceParams(operation: OperationInfo, raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of operation.parameters) {
    const v = raw[p.name];
    if (v === undefined) continue;
    out[p.name] = p.type === 'integer' && /^-?[0-9]{1,16}$/.test(v) ? Number(v) : v;
  }
  return out;
}

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
