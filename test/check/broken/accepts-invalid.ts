// negative_data_rejection: createEssentialsCustomer creates whatever it can parse.
import { startConforming } from './conforming.js';

export const startAcceptsInvalid = () =>
  startConforming({
    acceptInvalid: (operationId) => operationId === 'createEssentialsCustomer',
    allowDuplicates: true,
  });
