// response_schema_conformance: the OVOC customer comes back with a string `tenantId` where the spec
// says integer.
import { specExample } from '../../../src/contract/index.js';
import { startWithBrokenCustomer85844 } from './conforming.js';

export const startSchemaBreaking = () =>
  startWithBrokenCustomer85844((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...specExample<object>('OvocCustomerBrad984'), tenantId: 'not-a-number' }));
  });
