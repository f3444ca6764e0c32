// A server that crashes (500) when a customer variable's value holds a letter outside ASCII, as an
// encoder that assumes Latin-1 would. The example body carries no customer variable at all.
import { schemaPropertyNames } from '../../../src/contract/index.js';
import { validRequest } from './valid.js';
import { startConforming } from '../broken/conforming.js';

const DECLARED = schemaPropertyNames('CreateEssentialsCustomerRequest');

export const startNonAsciiVariable = () =>
  startConforming({
    override: ({ operationId, body, req, send }) => {
      // Only a request the contract accepts, from the right caller, reaches the defect.
      if (!validRequest(req, operationId, body)) return false;
      if (operationId !== 'createEssentialsCustomer' || !body || typeof body !== 'object') return false;
      const variables = Object.entries(body).filter(([k]) => !DECLARED.has(k));
      if (!variables.some(([, v]) => typeof v === 'string' && /\p{L}/u.test(v) && /[^\x00-\x7f]/.test(v)))
        return false;
      send(500, { title: 'Internal Server Error', status: 500 });
      return true;
    },
  });
