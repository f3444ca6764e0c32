import { quote } from '../../internal/excerpt.js';
import { jsonReply, problemReply } from '../../internal/problems.js';
import { tasksBusy } from '../limits.js';
import { exampleTask } from '../tasks.js';
import type { Handler } from './handler.js';

// The body's fields only describe the link; the sandbox needs just the customer to exist.
export const importCustomerFromOvoc: Handler = ({ state, now, taskDurationMs }, params) => {
  const guid = params.customerGuid as string;
  const customer = state.customer(guid);
  if (!customer) {
    return problemReply(
      404,
      `No customer with guid ${quote(guid)}. Use the id that Create Essentials Customer returned (or GET /_sandbox/state).`,
    );
  }
  if (!state.roomForTask(now)) return tasksBusy(state.limits, taskDurationMs);
  state.linkOvocCustomer(customer, now);
  const id = state.newImportTaskId();
  return jsonReply(state.addTask(exampleTask('TaskImportCompleted', id, now, taskDurationMs)).id);
};
