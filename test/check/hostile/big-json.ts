// Every answer is about 4 MiB of valid JSON (`[{},{},…]`): parsed, that is over a million objects.
// A checker that keeps parsed bodies runs out of memory; one that keeps excerpts does not.
import { startConforming, type RunningTestServer } from '../broken/conforming.js';

export const BIG_JSON_BYTES = 4 * 1024 * 1024 - 16;

export async function startBigJson(): Promise<RunningTestServer> {
  const items = Math.floor((BIG_JSON_BYTES - 2) / 3);
  const body = Buffer.from(`[${'{},'.repeat(items - 1)}{}]`);
  return startConforming({
    override: ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
      return true;
    },
  });
}
