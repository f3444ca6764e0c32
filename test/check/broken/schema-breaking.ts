// response_schema_conformance: the OVOC customer comes back with a string `tenantId` where the spec
// says integer.
import { specExample } from '../../../src/contract/index.js';
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startSchemaBreaking = () =>
  startConforming({
    override: ({ route, req, send }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'verifyLcCustomer') return false;
      if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}` || route.pathParams.id !== '85844')
        return false;
      send(200, { ...specExample<object>('OvocCustomerBrad984'), tenantId: 'not-a-number' });
      return true;
    },
  });
