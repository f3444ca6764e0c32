// response_schema_conformance: the OVOC customer comes back with a string `tenantId` where the spec says integer.
import { specExample } from '../../../src/contract/index.js';
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startSchemaBreaking = () =>
  startConforming({
    override: ({ operationId, req, send }) => {
      if (operationId !== 'verifyLcCustomer' || req.headers.authorization !== `Bearer ${GOOD_TOKEN}`)
        return false;
      send(200, { ...specExample<object>('OvocCustomerBrad984'), tenantId: 'not-a-number' });
      return true;
    },
  });
