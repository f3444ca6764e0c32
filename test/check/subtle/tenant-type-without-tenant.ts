// A server that links a TENANT_TYPE customer by its Microsoft tenant without checking it was sent:
// `ovocCustomerType: TENANT_TYPE` with the optional `msTenantId` left out crashes it (500).
import { startFailingOn } from './valid.js';

export const startTenantTypeWithoutTenant = () =>
  startFailingOn(
    'createEssentialsCustomer',
    (b) => b.ovocCustomerType === 'TENANT_TYPE' && !('msTenantId' in b),
  );
