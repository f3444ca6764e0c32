// unsupported_method: GET /api/v2/customer answers 200 instead of 405.
import { startConforming } from './conforming.js';

export const startWrongMethod200 = () =>
  startConforming({
    override: ({ req, route, send }) => {
      if (route.kind !== 'method-not-allowed' || req.method !== 'GET' || req.url !== '/api/v2/customer')
        return false;
      send(200, []);
      return true;
    },
  });
