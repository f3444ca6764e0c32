// positive_data_acceptance: the import refuses the vendor's own example body.
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startRejectsValid = () =>
  startConforming({
    override: ({ operationId, req, send }) => {
      if (operationId !== 'importCustomerFromOvoc' || req.headers.authorization !== `Bearer ${GOOD_TOKEN}`)
        return false;
      send(400, { title: 'Bad Request', status: 400, errors: { customerSource: ['not supported'] } });
      return true;
    },
  });
