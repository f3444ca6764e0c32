// A server that crashes (500) on an Essentials short name of exactly 15 characters, the limit
// itself: the example name (9 characters) and the 16-character negative case never reach it.
import { validRequest } from './valid.js';
import { startConforming } from '../broken/conforming.js';

export const startShortName15 = () =>
  startConforming({
    override: ({ operationId, body, req, send }) => {
      const name = (body as { shortName?: unknown } | undefined)?.shortName;
      // Only a request the contract accepts, from the right caller, reaches the defect.
      if (!validRequest(req, operationId, body)) return false;
      if (operationId !== 'createEssentialsCustomer' || typeof name !== 'string' || [...name].length !== 15)
        return false;
      send(500, { title: 'Internal Server Error', status: 500 });
      return true;
    },
  });
