import type { IncomingMessage } from 'node:http';
import { validateRequestBody } from '../../../src/contract/index.js';
import { GOOD_TOKEN } from '../broken/conforming.js';

/** Authenticated and valid by the contract: the conforming behaviour would answer it 2xx. */
export const validRequest = (req: IncomingMessage, operationId: string | undefined, body: unknown) =>
  !!operationId &&
  req.headers.authorization === `Bearer ${GOOD_TOKEN}` &&
  validateRequestBody(operationId, body).length === 0;
