import { problemReply } from '../../internal/problems.js';
import { ok, type Handler } from './handler.js';

export const verifyLcCustomer: Handler = ({ state }, params) => {
  const id = params.id as number;
  const customer = state.ovocCustomers.get(id);
  if (!customer) {
    return problemReply(
      404,
      `No OVOC customer with id ${id}. Created and imported customers get new ids; GET /_sandbox/state lists them.`,
    );
  }
  return ok(customer);
};
