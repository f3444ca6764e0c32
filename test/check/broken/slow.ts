// max_response_time: verifyLcCustomer takes SLOW_MS.
import { startConforming } from './conforming.js';

// Far past a loopback answer even on a loaded two-core machine, so that the limit of SLOW_MS / 3
// separates the slow operation from the others by design, not by the machine's speed that day.
export const SLOW_MS = 1_500;

export const startSlow = () =>
  startConforming({
    override: async ({ operationId }) => {
      if (operationId === 'verifyLcCustomer') await new Promise((r) => setTimeout(r, SLOW_MS));
      return false;
    },
  });
