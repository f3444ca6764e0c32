// A server that reads the SBC id into 32 bits: an sbcId above 2^31 - 1 (a long by the contract)
// overflows and crashes the lookup (500) instead of answering.
import { startFailingOn } from './valid.js';

const sbcIdOf = (b: Record<string, unknown>) => (b.siteLocation as { sbcId?: unknown } | undefined)?.sbcId;

export const startSbcIdInt32 = () =>
  startFailingOn('createEssentialsCustomer', (b) => {
    const id = sbcIdOf(b);
    return typeof id === 'number' && id > 2 ** 31 - 1;
  });
