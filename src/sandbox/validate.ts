import type { ErrorObject } from 'ajv';
import { validatorNamed } from '../contract/index.js';
import { unescapeToken } from '../../scripts/spec-walk.mjs';
import { memberOf, type AjvError } from '../internal/ajv-issues.js';
import { addError, errorMap } from '../internal/problems.js';

/** `/siteLocation/sbcId` -> `siteLocation.sbcId`, `/a/0` -> `a[0]`, the root -> `$` (ASP.NET's keys). */
export function fieldName(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map(unescapeToken);
  if (child !== undefined) parts.push(child);
  return parts.reduce((out, p) => (/^[0-9]+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '$';
}

const SHORT_NAME_RULES = 'The short name must be 3-15 characters long.';
const SHORT_NAME_CHARS = 'The short name cannot contain \\ / : * ? " < > |, a dot or a blank.';

function describe(e: ErrorObject): [string, string] {
  const p = e.params as Record<string, string>;
  const member = memberOf(e as AjvError);
  const aboutMember =
    e.propertyName !== undefined
      ? `This name is not allowed here; names must match ${p.pattern ?? 'the contract'}.`
      : e.keyword === 'required'
        ? `The ${member} field is required.`
        : e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties'
          ? 'This field is not part of the request; check its spelling or remove it.'
          : undefined;
  if (aboutMember) return [fieldName(e.instancePath, member), aboutMember];
  const field = fieldName(e.instancePath);
  if (field === 'shortName' && (e.keyword === 'minLength' || e.keyword === 'maxLength'))
    return [field, SHORT_NAME_RULES];
  if (field === 'shortName' && e.keyword === 'pattern') return [field, SHORT_NAME_CHARS];
  if (e.keyword === 'enum')
    return [
      field,
      `The value must be one of ${(p as unknown as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}.`,
    ];
  if (e.keyword === 'format') return [field, `The value must be a ${p.format}.`];
  if (field === '$' && e.keyword === 'type') return [field, `The body must be a JSON ${p.type}.`];
  return [field, `The value ${e.message ?? `breaks the ${e.keyword} rule`}.`];
}

/** Runs a generated validator; returns ASP.NET's `errors` map, or null when the value is valid. */
export function validationErrors(
  validatorName: string | null | undefined,
  value: unknown,
): Record<string, string[]> | null {
  if (!validatorName) return null;
  // Not validateRequestBody: the `errors` map needs Ajv's params (which member was missing or unexpected).
  const validate = validatorNamed(validatorName);
  if (validate(value)) return null;
  const errors = errorMap();
  for (const e of validate.errors ?? []) {
    // `anyOf`/`if` wrappers repeat what their branches already said.
    if (e.keyword === 'anyOf' || e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    const [field, message] = describe(e);
    if (!errors[field]?.includes(message)) addError(errors, field, message);
  }
  if (Object.keys(errors).length === 0) addError(errors, '$', 'The body does not match the contract.');
  return errors;
}
