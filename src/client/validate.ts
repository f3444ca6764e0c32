// Opt-in response validation. The validators are Ajv standalone code compiled at generate time, so
// nothing compiles here; they are 380 kB, so they load with a dynamic import() the first time a
// client with `validateResponses: true` gets an answer, never with the package entry.
import type { OperationId } from '../../generated/operation-ids.js';
import { issuesOf, type AjvError } from '../internal/ajv-issues.js';
import { ResponseValidationError } from './errors.js';

interface Validator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

let loaded: Record<string, Validator | undefined> | undefined;
let loading: Promise<Record<string, Validator | undefined>> | undefined;

// A computed specifier, so bundlers (and the entry-size budget) leave the validators out.
const VALIDATORS = new URL('../../generated/validators.js', import.meta.url).href;

export function loadValidators(): Promise<Record<string, Validator | undefined>> {
  return (loading ??= import(VALIDATORS).then((m: Record<string, Validator | undefined>) => (loaded = m)));
}

function check(
  operationId: OperationId,
  status: number,
  data: unknown,
  all: Record<string, Validator | undefined>,
) {
  // Named `<operationId>_<status>` by the generator; a status the contract does not declare has none.
  const v = all[`${operationId}_${status}`];
  if (!v || v(data)) return;
  throw new ResponseValidationError(
    operationId,
    status,
    // A missing or unexpected member is named in the path itself: `/details`, not `/`.
    issuesOf(v.errors).map(({ path, message }) => ({ path, message })),
  );
}

type Result = { data?: unknown; response: Response };

/** Checks a successful result's body against the contract; throws ResponseValidationError. */
export function validateResult<R extends Result>(
  operationId: OperationId | undefined,
  result: R,
): R | Promise<R> {
  if (!operationId || result.data === undefined) return result;
  const status = result.response.status;
  if (loaded) {
    check(operationId, status, result.data, loaded);
    return result;
  }
  return loadValidators().then((all) => {
    check(operationId, status, result.data, all);
    return result;
  });
}
