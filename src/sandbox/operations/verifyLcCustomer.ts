import { isExactId } from '../../contract/index.js';
import { jsonReply, problemReply } from '../../internal/problems.js';
import type { Handler } from './handler.js';

export const verifyLcCustomer: Handler = ({ state }, params) => {
  const id = params.id as number;
  // An id past 2^53 arrives rounded; it names no customer the sandbox stores.
  const customer = isExactId(id) ? state.ovocCustomers.get(id) : undefined;
  if (!customer) {
    return problemReply(
      404,
      `No OVOC customer with id ${isExactId(id) ? id : 'that large'}. Created and imported customers get new ids; GET /_sandbox/state lists them.`,
    );
  }
  return jsonReply(customer);
};
