// not_a_server_error: a short name with a blank crashes the server (500, which the spec declares).
import { startConforming } from './conforming.js';

export const startServerError = () =>
  startConforming({
    override: ({ operationId, body, send }) => {
      const shortName = (body as { shortName?: unknown } | undefined)?.shortName;
      if (
        operationId !== 'createEssentialsCustomer' ||
        typeof shortName !== 'string' ||
        !/\s/.test(shortName)
      )
        return false;
      send(500, { title: 'Internal Server Error', status: 500 });
      return true;
    },
  });
