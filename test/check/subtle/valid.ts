import type { IncomingMessage } from 'node:http';
import { validateRequestBody } from '../../../src/contract/index.js';
import { GOOD_TOKEN, startConforming, type Ctx } from '../broken/conforming.js';

/** Authenticated and valid by the contract: the conforming behaviour would answer it 2xx. */
export const validRequest = (req: IncomingMessage, operationId: string | undefined, body: unknown) =>
  !!operationId &&
  req.headers.authorization === `Bearer ${GOOD_TOKEN}` &&
  validateRequestBody(operationId, body).length === 0;

/**
 * A conforming server that answers `answer` (a 500 by default) to the authenticated, contract-valid
 * requests of one operation for which `when` holds, and conforms everywhere else.
 */
export const startFailingOn = (
  operationId: string,
  when: (body: Record<string, unknown>, ctx: Ctx) => boolean,
  answer: (ctx: Ctx, body: Record<string, unknown>) => void = ({ send }) =>
    send(500, { title: 'Internal Server Error', status: 500 }),
) =>
  startConforming({
    override: (ctx) => {
      if (ctx.operationId !== operationId || !validRequest(ctx.req, ctx.operationId, ctx.body)) return false;
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      if (!when(body, ctx)) return false;
      answer(ctx, body);
      return true;
    },
  });
