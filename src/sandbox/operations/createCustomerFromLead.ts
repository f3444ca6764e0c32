// Flat uuid strings: each kept entity costs 440 bytes less than with crypto's (see ids.ts).
import { newUuid as randomUUID } from '../ids.js';
import type { CreateCustomerFromLeadRequest } from '../../types.js';
import { capReached, tasksBusy } from '../limits.js';
import {
  alreadyConvertedTask,
  convertedTask,
  failedTask,
  leadNameErrors,
  noLeadTask,
  shortNameTakenError,
} from '../tasks.js';
import { ok, type Handler } from './handler.js';

/**
 * The outcome is decided here, in one synchronous step, so concurrent conversions of one lead
 * cannot both win; the task reports it once taskDurationMs has passed.
 */
export const createCustomerFromLead: Handler = ({ state, now, taskDurationMs: ms }, _params, body) => {
  const request = body as CreateCustomerFromLeadRequest;
  if (!state.roomForTask(now)) return tasksBusy(state.limits, ms);
  const lead = state.lead(request.msTenantId);
  if (!lead?.active) {
    return ok({ taskId: state.addTask(noLeadTask(randomUUID('wup_'), now, ms)).id });
  }
  const id = randomUUID('wst_');
  const nameErrors = leadNameErrors(request.customerShortName, request.customerFullName);
  if (nameErrors.length) return ok({ taskId: state.addTask(failedTask(id, now, ms, nameErrors)).id });
  if (lead.converted) return ok({ taskId: state.addTask(alreadyConvertedTask(id, now, ms)).id });
  // One short name per tenant, whichever operation created the customer (Essentials answers 409;
  // a conversion is accepted first and fails in its task, like its other name rules).
  if (state.nameTaken(lead.msTenantId, request.customerShortName)) {
    const error = shortNameTakenError(request.customerShortName);
    return ok({ taskId: state.addTask(failedTask(id, now, ms, [error])).id });
  }
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');

  const customer = state.addCustomer({
    id: randomUUID(),
    shortName: request.customerShortName,
    fullName: request.customerFullName ?? null,
    msTenantId: lead.msTenantId,
    siteLocationIds: [randomUUID()],
    sbcId: null,
    source: 'lead',
    ovocCustomerId: null,
    variables: Object.create(null) as Record<string, string>,
  });
  state.linkOvocCustomer(customer, now);
  lead.converted = true;
  lead.convertedCustomerGuid = customer.id;
  return ok({ taskId: state.addTask(convertedTask(id, now, ms, customer.shortName, customer.id)).id });
};
