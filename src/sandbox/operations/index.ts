// The sandbox's answer to each operation of the contract, one file per operationId (as spec/paths/).
import { createCustomerFromLead } from './createCustomerFromLead.js';
import { createEssentialsCustomer } from './createEssentialsCustomer.js';
import { getTask } from './getTask.js';
import type { Handler } from './handler.js';
import { importCustomerFromOvoc } from './importCustomerFromOvoc.js';
import { verifyLcCustomer } from './verifyLcCustomer.js';

export const handlers: Record<string, Handler> = {
  getTask,
  verifyLcCustomer,
  importCustomerFromOvoc,
  createEssentialsCustomer,
  createCustomerFromLead,
};
