// Flat uuid strings: each kept entity costs 440 bytes less than with crypto's (see ids.ts).
import { newUuid as randomUUID } from '../ids.js';
import { jsonReply } from '../../internal/problems.js';
import type { CreateCustomerFromLeadRequest, Task } from '../../types.js';
import { capReached, tasksBusy } from '../limits.js';
import { exampleTask } from '../tasks.js';
import type { Handler } from './handler.js';

/** .NET's DateTime text with 7 fractional digits and Z, as the number workflow writes it. */
const vendorTicks = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

/** The vendor's name rules for create-from-lead, checked by the task (the request accepts any). */
function nameErrors(shortName: string, fullName: string | undefined): string[] {
  const errors: string[] = [];
  if ([...shortName].length < 3 || [...shortName].length > 15)
    errors.push("'Customer Short Name' must be between 3 and 15 characters.");
  if (!/^[A-Za-z0-9_]*$/.test(shortName))
    errors.push(
      "Customer Short Name contains invalid characters. Allowed characters: letters, numbers and '_'.",
    );
  if (fullName !== undefined && !/^[A-Za-z0-9_' ]*$/.test(fullName))
    errors.push(
      "Customer Full Name contains invalid characters. Allowed characters: letters, numbers, _, ' and space.",
    );
  return errors;
}

/**
 * The outcome is decided here, in one synchronous step, so concurrent conversions of one lead
 * cannot both win; the task reports it once taskDurationMs has passed.
 */
export const createCustomerFromLead: Handler = ({ state, now, taskDurationMs: ms }, _params, body) => {
  const {
    msTenantId,
    customerShortName: shortName,
    customerFullName,
  } = body as CreateCustomerFromLeadRequest;
  if (!state.roomForTask(now)) return tasksBusy(state.limits, ms);
  const queue = (example: string, id: string, edit?: (body: Task) => Partial<Task>) =>
    jsonReply({ taskId: state.addTask(exampleTask(example, id, now, ms, edit)).id });
  const lead = state.lead(msTenantId);
  if (!lead?.active) {
    return queue('TaskValidationFailedNoLead', randomUUID('wup_'), ({ outputData }) => ({
      outputData: {
        ...(outputData as object),
        createTime: vendorTicks(now),
        completeTime: vendorTicks(now + ms),
      },
    }));
  }
  const id = randomUUID('wst_');
  const failed = (messages: string[]) =>
    queue('TaskFailedShortNameLength', id, () => ({
      executionMessages: messages.map((message) => ({ level: 'Error', message })),
    }));
  const errors = nameErrors(shortName, customerFullName);
  if (errors.length) return failed(errors);
  if (lead.converted) return queue('TaskCustomerAlreadyConverted', id);
  // One short name per tenant, whichever operation created the customer (Essentials answers 409;
  // a conversion is accepted first and fails in its task, like its other name rules).
  if (state.nameTaken(lead.msTenantId, shortName))
    return failed([`'Customer Short Name' must be unique per M365 Tenant: ${shortName} is already in use.`]);
  if (!state.roomForCustomer()) return capReached('maxCustomers', state.limits, 'customers');

  const customer = state.addCustomer({
    id: randomUUID(),
    shortName,
    fullName: customerFullName ?? null,
    msTenantId: lead.msTenantId,
    siteLocationIds: [randomUUID()],
    source: 'lead',
  });
  state.linkOvocCustomer(customer, now);
  lead.converted = true;
  lead.convertedCustomerGuid = customer.id;
  return queue('TaskConverted', id, () => ({
    executionMessages: [
      { level: 'Information', message: `SBC sbc-onboarding done for site ${shortName}.` },
      { level: 'Information', message: 'Site created in Ovoc' },
    ],
    outputData: { umpCustomerGuid: customer.id },
  }));
};
