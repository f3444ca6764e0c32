// Every answer is about 4 MiB of valid JSON (`[{},{},…]`): parsed, that is over a million objects.
// A checker that keeps parsed bodies runs out of memory; one that keeps excerpts does not.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningTestServer } from '../broken/conforming.js';

export const BIG_JSON_BYTES = 4 * 1024 * 1024 - 16;

export async function startBigJson(): Promise<RunningTestServer> {
  const items = Math.floor((BIG_JSON_BYTES - 2) / 3);
  const body = Buffer.from(`[${'{},'.repeat(items - 1)}{}]`);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
