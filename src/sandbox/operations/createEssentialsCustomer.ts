import { schemaPropertyNames, specExample } from '../../contract/index.js';
import type { CreateEssentialsCustomerRequest, EssentialsCustomer } from '../../types.js';
import { newUuid } from '../ids.js';
import { addError, errorMap, problemReply, validationReply } from '../../internal/problems.js';
import { capReached } from '../limits.js';
import { tenantKey, type SandboxState } from '../state.js';
import { ok, type Handler } from './handler.js';

/** The named members of an Essentials request; any other string member is a customer variable. */
const ESSENTIALS_MEMBERS = schemaPropertyNames('CreateEssentialsCustomerRequest');

/** The customer variables of an Essentials request (its extra string fields) and their size in UTF-8 bytes. */
function variablesOf(body: CreateEssentialsCustomerRequest) {
  const variables = Object.create(null) as Record<string, string>;
  let bytes = 0;
  for (const [k, v] of Object.entries(body)) {
    if (ESSENTIALS_MEMBERS.has(k) || typeof v !== 'string') continue;
    variables[k] = v;
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  return { variables, bytes };
}

/** Creates the customer and its OVOC twin; the caller has checked the name, the SBC and the caps. */
function create(
  state: SandboxState,
  body: CreateEssentialsCustomerRequest,
  now: number,
  { variables, bytes }: ReturnType<typeof variablesOf>,
): EssentialsCustomer {
  state.variableBytes += bytes;
  const customer = state.addCustomer({
    id: newUuid(),
    shortName: body.shortName,
    fullName: body.fullName ?? null,
    msTenantId: body.msTenantId ? tenantKey(body.msTenantId) : null,
    siteLocationIds: [newUuid()],
    sbcId: body.siteLocation.sbcId,
    source: 'essentials',
    ovocCustomerId: null,
    variables,
    variableBytes: bytes,
  });
  state.linkOvocCustomer(customer, now);
  const progress = [
    ...(body.msTenantId ? ['(Information, MsTenantid is valid)'] : []),
    '(Information, Customer data created!)',
    `(Information, SBC sbc-onboarding done for site ${body.shortName}.)`,
    '(Information, Site created in Ovoc)',
  ];
  return {
    ...specExample<EssentialsCustomer>('EssentialsCustomerCreated'),
    id: customer.id,
    customerId: customer.shortName,
    siteLocationIds: customer.siteLocationIds,
    progressDetails: progress.join(';'),
  };
}

export const createEssentialsCustomer: Handler = ({ state, now }, _params, body) => {
  const request = body as CreateEssentialsCustomerRequest;
  const { sbcId, sbcOnboardingScript, sbcCleanupScript } = request.siteLocation;
  const sbc = state.sbcs.get(sbcId);
  const errors = errorMap();
  if (!sbc) {
    const known = [...state.sbcs.keys()].join(', ') || 'none';
    addError(
      errors,
      'siteLocation.sbcId',
      `No SBC with id ${sbcId}. Use a known SBC (this sandbox knows: ${known}).`,
    );
  } else {
    if (!sbc.onboardingScripts.includes(sbcOnboardingScript)) {
      addError(
        errors,
        'siteLocation.sbcOnboardingScript',
        `SBC ${sbcId} has no onboarding script ${sbcOnboardingScript}; use ${sbc.onboardingScripts.join(' or ') || 'none'}.`,
      );
    }
    if (!sbc.cleanupScripts.includes(sbcCleanupScript)) {
      addError(
        errors,
        'siteLocation.sbcCleanupScript',
        `SBC ${sbcId} has no cleanup script ${sbcCleanupScript}; use ${sbc.cleanupScripts.join(' or ') || 'none'}.`,
      );
    }
  }
  if (Object.keys(errors).length) return validationReply(errors);
  if (state.nameTaken(request.msTenantId, request.shortName)) {
    const tenant = request.msTenantId ? `tenant ${request.msTenantId}` : 'customers without a tenant';
    return problemReply(
      409,
      `A customer named ${request.shortName} already exists for ${tenant}. Choose another short name.`,
    );
  }
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');
  const variables = variablesOf(request);
  if (state.variableBytes + variables.bytes > state.limits.maxVariableBytes)
    return capReached('maxVariableBytes', state.limits, 'bytes of customer variables');
  return ok(create(state, request, now, variables));
};
