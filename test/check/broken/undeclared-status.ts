// status_code_conformance: an invalid import body gets 422, which the spec does not declare.
import { validateRequestBody } from '../../../src/contract/index.js';
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startUndeclaredStatus = () =>
  startConforming({
    override: ({ operationId, body, req, send }) => {
      if (operationId !== 'importCustomerFromOvoc' || req.headers.authorization !== `Bearer ${GOOD_TOKEN}`)
        return false;
      if (!validateRequestBody(operationId, body).length) return false;
      send(422, { title: 'Unprocessable Entity', status: 422 });
      return true;
    },
  });
