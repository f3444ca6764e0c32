// ignored_auth: getTask answers without a token, and with any token.
import { GOOD_TOKEN, startConforming } from './conforming.js';

export const startIgnoresAuth = () =>
  startConforming({
    override: (ctx) => {
      if (ctx.operationId !== 'getTask') return false;
      ctx.req.headers.authorization = `Bearer ${GOOD_TOKEN}`;
      return false;
    },
  });
