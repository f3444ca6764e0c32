// A server whose answer breaks the schema only when the request carries exactly two customer
// variables: `siteLocationIds` comes back as one string instead of an array (a join gone wrong).
import { randomUUID } from 'node:crypto';
import { schemaPropertyNames, specExample } from '../../../src/contract/index.js';
import { validRequest } from './valid.js';
import { startConforming } from '../broken/conforming.js';

const DECLARED = schemaPropertyNames('CreateEssentialsCustomerRequest');

export const startTwoVariables = () =>
  startConforming({
    override: ({ operationId, body, req, send }) => {
      // Only a request the contract accepts, from the right caller, reaches the defect.
      if (!validRequest(req, operationId, body)) return false;
      if (operationId !== 'createEssentialsCustomer' || !body || typeof body !== 'object') return false;
      if (!req.headers.authorization) return false;
      const variables = Object.keys(body).filter((k) => !DECLARED.has(k));
      if (variables.length !== 2) return false;
      const b = body as { shortName?: unknown };
      if (typeof b.shortName !== 'string' || b.shortName.length < 3 || b.shortName.length > 15) return false;
      send(200, {
        ...specExample<object>('EssentialsCustomerCreated'),
        id: randomUUID(),
        customerId: b.shortName,
        siteLocationIds: randomUUID(),
      });
      return true;
    },
  });
