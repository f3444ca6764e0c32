// response_schema_conformance, and the checker's own safety: the OVOC customer never stops coming
// (a JSON array streamed without end). The checker must stop reading, report, and finish.
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startEndlessBody = () =>
  startConforming({
    override: ({ route, req, res }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'verifyLcCustomer') return false;
      if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}` || route.pathParams.id !== '85844')
        return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.from('1,'.repeat(32 * 1024));
      res.write('[');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return true;
    },
  });
