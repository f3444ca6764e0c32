// content_type_conformance: the OVOC customer's JSON comes back labelled text/plain.
import { specExample } from '../../../src/contract/index.js';
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startWrongContentType = () =>
  startConforming({
    override: ({ route, req, res }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'verifyLcCustomer') return false;
      if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}` || route.pathParams.id !== '85844')
        return false;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(JSON.stringify(specExample('OvocCustomerBrad984')));
      return true;
    },
  });
