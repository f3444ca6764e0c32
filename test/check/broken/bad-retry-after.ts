// response_headers_conformance: a 429 whose Retry-After is neither seconds nor an HTTP-date (the
// header is optional, but when sent it must be usable), and a 401 without WWW-Authenticate.
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startBadRetryAfter = () =>
  startConforming({
    override: ({ operationId, req, send }) => {
      if (operationId === 'verifyLcCustomer' && req.headers.authorization === `Bearer ${GOOD_TOKEN}`) {
        send(429, { title: 'Too Many Requests', status: 429 }, { 'retry-after': 'in a while' });
        return true;
      }
      if (operationId === 'getTask' && !req.headers.authorization) {
        send(401, { title: 'Unauthorized', status: 401 });
        return true;
      }
      return false;
    },
  });
