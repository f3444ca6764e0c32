// Echoes the Authorization header into an answer, so a report that copies bodies would leak the
// token: the redaction test runs the CLI against it with a distinctive token.
import { startConforming } from './conforming.js';

export const startEchoesToken = (token: string) =>
  startConforming({
    token,
    override: ({ req, operationId, send }) => {
      if (operationId !== 'getTask' || req.headers.authorization !== `Bearer ${token}`) return false;
      send(500, { title: 'Internal Server Error', status: 500, detail: `got ${req.headers.authorization}` });
      return true;
    },
  });
