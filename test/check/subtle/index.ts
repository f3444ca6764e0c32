// Deliberately subtle broken servers: each breaks the contract for a narrow slice of inputs only,
// so one example and one broken body per constraint pass it, and generated cases must find it.
import { schemaPropertyNames } from '../../../src/contract/index.js';
import type { RunningTestServer } from '../broken/conforming.js';
import { startNonAsciiVariable } from './non-ascii-variable.js';
import { startOmittedSource } from './omitted-source.js';
import { startOvocIdInt32 } from './ovoc-id-int32.js';
import { startShortName15 } from './short-name-15.js';
import { startTwoVariables } from './two-variables.js';

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
const variablesOf = (body: unknown) =>
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
];
