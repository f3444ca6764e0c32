// Opt-in response validation with the generated Ajv standalone validators: 380 kB, so they load on
// a validating client's first answer, never with the package entry.
import type { OperationId } from '../../generated/operation-ids.js';
import { issuesOf, type AjvError } from '../internal/ajv-issues.js';
import { ResponseValidationError } from './errors.js';

type Validators = Record<string, (((data: unknown) => boolean) & { errors?: AjvError[] | null }) | undefined>;

let loaded: Validators | undefined;
let loading: Promise<Validators> | undefined;

// A computed specifier, so bundlers (and the entry-size budget) leave the validators out.
const VALIDATORS = new URL('../../generated/validators.js', import.meta.url).href;

/** Checks a successful result's body against the contract; throws ResponseValidationError. */
export function validateResult<R extends { data?: unknown; response: Response }>(
  operationId: OperationId | undefined,
  result: R,
): R | Promise<R> {
  if (!operationId || result.data === undefined) return result;
  const { status } = result.response;
  const check = (all: Validators) => {
    // Named `<operationId>_<status>` by the generator; a status the contract does not declare has none.
    const v = all[`${operationId}_${status}`];
    if (v && !v(result.data)) {
      // A missing or unexpected member is named in the path itself: `/details`, not `/`.
      const issues = issuesOf(v.errors).map(({ path, message }) => ({ path, message }));
      throw new ResponseValidationError(operationId, status, issues);
    }
    return result;
  };
  if (loaded) return check(loaded);
  return (loading ??= import(VALIDATORS).then((m: Validators) => (loaded = m))).then(check);
}
