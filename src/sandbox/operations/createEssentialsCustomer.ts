import { schemaPropertyNames, specExample } from '../../contract/index.js';
import { jsonReply, problemReply, validationReply } from '../../internal/problems.js';
import type { CreateEssentialsCustomerRequest, EssentialsCustomer } from '../../types.js';
import { newUuid } from '../ids.js';
import { capReached } from '../limits.js';
import type { Handler } from './handler.js';

/** The named members of an Essentials request; any other string member is a customer variable. */
const ESSENTIALS_MEMBERS = schemaPropertyNames('CreateEssentialsCustomerRequest');

export const createEssentialsCustomer: Handler = ({ state, now }, _params, body) => {
  const request = body as CreateEssentialsCustomerRequest;
  const { shortName, msTenantId, siteLocation } = request;
  const sbc = state.sbcs.get(siteLocation.sbcId);
  if (!sbc) {
    const known = [...state.sbcs.keys()].join(', ') || 'none';
    const message = `No SBC with id ${siteLocation.sbcId}. Use a known SBC (this sandbox knows: ${known}).`;
    return validationReply({ 'siteLocation.sbcId': [message] });
  }
  const errors: Record<string, string[]> = {};
  const script = (member: 'sbcOnboardingScript' | 'sbcCleanupScript', kind: string, known: number[]) => {
    if (known.includes(siteLocation[member])) return;
    errors[`siteLocation.${member}`] = [
      `SBC ${sbc.id} has no ${kind} script ${siteLocation[member]}; use ${known.join(' or ') || 'none'}.`,
    ];
  };
  script('sbcOnboardingScript', 'onboarding', sbc.onboardingScripts);
  script('sbcCleanupScript', 'cleanup', sbc.cleanupScripts);
  if (Object.keys(errors).length) return validationReply(errors);
  if (state.nameTaken(msTenantId, shortName)) {
    const tenant = msTenantId ? `tenant ${msTenantId}` : 'customers without a tenant';
    return problemReply(
      409,
      `A customer named ${shortName} already exists for ${tenant}. Choose another short name.`,
    );
  }
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');
  const variables = Object.create(null) as Record<string, string>;
  let variableBytes = 0;
  for (const [k, v] of Object.entries(request)) {
    if (ESSENTIALS_MEMBERS.has(k) || typeof v !== 'string') continue;
    variables[k] = v;
    variableBytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (state.variableBytes + variableBytes > state.limits.maxVariableBytes)
    return capReached('maxVariableBytes', state.limits, 'bytes of customer variables');

  state.variableBytes += variableBytes;
  const customer = state.addCustomer({
    id: newUuid(),
    shortName,
    fullName: request.fullName,
    msTenantId,
    siteLocationIds: [newUuid()],
    sbcId: sbc.id,
    source: 'essentials',
    variables,
    variableBytes,
  });
  state.linkOvocCustomer(customer, now);
  const progress = [
    ...(msTenantId ? ['(Information, MsTenantid is valid)'] : []),
    '(Information, Customer data created!)',
    `(Information, SBC sbc-onboarding done for site ${shortName}.)`,
    '(Information, Site created in Ovoc)',
  ];
  return jsonReply({
    ...specExample<EssentialsCustomer>('EssentialsCustomerCreated'),
    id: customer.id,
    customerId: shortName,
    siteLocationIds: customer.siteLocationIds,
    progressDetails: progress.join(';'),
  } satisfies EssentialsCustomer);
};
