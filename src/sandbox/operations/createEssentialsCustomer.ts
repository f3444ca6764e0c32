import type { CreateEssentialsCustomerRequest } from '../../types.js';
import { addError, capReached, errorMap, problemReply, validationProblem } from '../problems.js';
import { SandboxState } from '../state.js';
import { ok, type Handler } from './handler.js';

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
  if (Object.keys(errors).length) return { status: 400, json: JSON.stringify(validationProblem(errors)) };
  if (state.nameTaken(request.msTenantId, request.shortName)) {
    const tenant = request.msTenantId ? `tenant ${request.msTenantId}` : 'customers without a tenant';
    return problemReply(
      409,
      `A customer named ${request.shortName} already exists for ${tenant}. Choose another short name.`,
    );
  }
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');
  const variables = SandboxState.variablesOf(request);
  if (state.variableBytes + variables.bytes > state.limits.maxVariableBytes)
    return capReached('maxVariableBytes', state.limits, 'bytes of customer variables');
  return ok(state.createEssentials(request, now, variables));
};
