// Deliberately subtle broken servers: each breaks the contract for a narrow slice of inputs only,
// so one example and one broken body per constraint pass it, and generated cases must find it.
import { schemaPropertyNames } from '../../../src/contract/index.js';
import type { RunningTestServer } from '../broken/conforming.js';
import { startNonAsciiVariable } from './non-ascii-variable.js';
import { startOmittedSource } from './omitted-source.js';
import { startOvocIdInt32 } from './ovoc-id-int32.js';
import { startShortName15 } from './short-name-15.js';
import { startTwoVariables } from './two-variables.js';
import { startEmptyScriptParameters } from './empty-script-parameters.js';
import { startFullName200 } from './full-name-200.js';
import { startLeadFullNameApostrophe } from './lead-full-name-apostrophe.js';
import { startNameCaseDuplicate } from './name-case-duplicate.js';
import { startSbcIdInt32 } from './sbc-id-int32.js';
import { startTaskIdInt32, taskNumber } from './task-id-int32.js';
import { startTenantTypeWithoutTenant } from './tenant-type-without-tenant.js';
import { startUtf16ShortName } from './utf16-short-name.js';
import { hasCaseTwins, startVariableKeyCase, variableKeys } from './variable-key-case.js';

/** The server every subtle one differs from by its defect (the bench's baseline for other tools). */
export { startConforming } from '../broken/conforming.js';

export interface SubtleServer {
  name: string;
  start: () => Promise<RunningTestServer>;
  /** The operation and check the defect shows in. */
  operationId: string;
  check: string;
  /** Whether a minimal failing request is the one this server was built to fail on. */
  isTrigger: (request: { path: string; body?: unknown }) => boolean;
}

const DECLARED = schemaPropertyNames('CreateEssentialsCustomerRequest');
const bodyOf = (r: { body?: unknown }) => (r.body ?? {}) as Record<string, unknown>;
export const variablesOf = (body: unknown) =>
  Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => !DECLARED.has(k));

export const SUBTLE_SERVERS: SubtleServer[] = [
  {
    name: 'short name of exactly 15 characters -> 500',
    start: startShortName15,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => [...String((r.body as { shortName?: unknown }).shortName)].length === 15,
  },
  {
    name: 'letter outside ASCII in a customer variable -> 500',
    start: startNonAsciiVariable,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => variablesOf(r.body).some(([, v]) => /[^\x00-\x7f]/.test(String(v))),
  },
  {
    name: 'two customer variables -> siteLocationIds of the wrong type',
    start: startTwoVariables,
    operationId: 'createEssentialsCustomer',
    check: 'response_schema_conformance',
    isTrigger: (r) => variablesOf(r.body).length === 2,
  },
  {
    name: 'OVOC id above 2^31 - 1 -> 500',
    start: startOvocIdInt32,
    operationId: 'verifyLcCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => Number(r.path.split('/').pop()) > 2 ** 31 - 1,
  },
  {
    name: 'import without the optional customerSource -> an object instead of the task id',
    start: startOmittedSource,
    operationId: 'importCustomerFromOvoc',
    check: 'response_schema_conformance',
    isTrigger: (r) => !('customerSource' in ((r.body ?? {}) as object)),
  },
  // The second suite (issue 20): one server per class the generator is biased toward, written from
  // the classes, not from how the first five are found.
  {
    name: 'full name of exactly 200 characters (the limit) -> 500',
    start: startFullName200,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => [...String(bodyOf(r).fullName)].length === 200,
  },
  {
    name: "apostrophe (allowed by the vendor) in a lead conversion's full name -> 500",
    start: startLeadFullNameApostrophe,
    operationId: 'createCustomerFromLead',
    check: 'not_a_server_error',
    isTrigger: (r) => String(bodyOf(r).customerFullName).includes("'"),
  },
  {
    name: 'short name counted in UTF-16 units: 15 characters or fewer refused as too long',
    start: startUtf16ShortName,
    operationId: 'createEssentialsCustomer',
    check: 'positive_data_acceptance',
    isTrigger: (r) =>
      String(bodyOf(r).shortName).length > 15 && [...String(bodyOf(r).shortName)].length <= 15,
  },
  {
    name: 'SBC id above 2^31 - 1 in the body -> 500',
    start: startSbcIdInt32,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => Number((bodyOf(r).siteLocation as { sbcId?: unknown }).sbcId) > 2 ** 31 - 1,
  },
  {
    name: 'empty scriptParameters map -> 500',
    start: startEmptyScriptParameters,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => JSON.stringify(bodyOf(r).scriptParameters) === '{}',
  },
  {
    name: 'TENANT_TYPE with the optional msTenantId left out -> 500',
    start: startTenantTypeWithoutTenant,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => bodyOf(r).ovocCustomerType === 'TENANT_TYPE' && !('msTenantId' in bodyOf(r)),
  },
  {
    name: 'two customer variables whose names differ only in letter case -> 500',
    start: startVariableKeyCase,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    isTrigger: (r) => hasCaseTwins(variableKeys(bodyOf(r))),
  },
  {
    name: 'a short name created before, sent again in another letter case -> 500',
    start: startNameCaseDuplicate,
    operationId: 'createEssentialsCustomer',
    check: 'not_a_server_error',
    // The minimal request is the second one; it differs from a name the run created only in case.
    isTrigger: (r) => /[A-Za-z]/.test(String(bodyOf(r).shortName)),
  },
  {
    name: 'task id number above 2^31 - 1 (tsk_2147483648) -> 500',
    start: startTaskIdInt32,
    operationId: 'getTask',
    check: 'not_a_server_error',
    isTrigger: (r) => Number(taskNumber(r.path)) > 2 ** 31 - 1,
  },
];
