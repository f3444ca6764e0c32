// A server that stores OVOC ids in 32 bits: an id above 2^31 - 1 crashes it (500) instead of a 404.
// The vendor's example id (85844) and the negative cases (0, -1, text) never go that high.
import { startConforming } from '../broken/conforming.js';

export const startOvocIdInt32 = () =>
  startConforming({
    override: ({ route, send }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'verifyLcCustomer') return false;
      const id = Number(route.pathParams.id);
      if (!Number.isInteger(id) || id <= 2 ** 31 - 1) return false;
      send(500, { title: 'Internal Server Error', status: 500 });
      return true;
    },
  });
