// max_response_time: verifyLcCustomer takes 300 ms.
import { startConforming } from './conforming.js';

export const SLOW_MS = 300;

export const startSlow = () =>
  startConforming({
    override: async ({ operationId }) => {
      if (operationId === 'verifyLcCustomer') await new Promise((r) => setTimeout(r, SLOW_MS));
      return false;
    },
  });
