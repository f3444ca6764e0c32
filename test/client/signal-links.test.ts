// A caller's long-lived signal and the client's own signal per call (src/internal/exchange.ts,
// linkSignal): one listener on the caller's signal while calls are in flight, however many, none
// once they are over (read, dropped for a new token, or failed), and an abort still reaches a body
// that stalls after its headers.
import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLivePlatformClient } from '../../src/index.js';
import { hostile, send, type HostileServer } from './hostile-server.js';

const task = { id: 'wst_1', status: 'InProgress' };
const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(handler: Parameters<typeof hostile>[0]): Promise<HostileServer> {
  const s = await hostile(handler);
  servers.push(s);
  return s;
}
/** Resolves once `ready()` holds, checked each turn of the event loop. */
const until = (ready: () => boolean) =>
  new Promise<void>((resolve) => {
    const check = () => (ready() ? resolve() : setImmediate(check));
    check();
  });

describe('a caller signal shared by many calls', () => {
  it('carries one listener while 8 calls are in flight together, and none once they are answered', async () => {
    const waiting: ServerResponse[] = [];
    const s = await server((_req, res) => void waiting.push(res));
    const lp = createLivePlatformClient({ baseUrl: s.url, token: 't' });
    const { signal } = new AbortController();
    const calls = Array.from({ length: 8 }, () => lp.getTask('wst_1', { signal }));
    await until(() => waiting.length === 8);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    for (const res of waiting) send(res, 200, task);
    expect(await Promise.all(calls)).toHaveLength(8);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('an abort while the body stalls after its headers stops the read and leaves no listener', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"wst_1",'); // and nothing more
    });
    let headers = false;
    const lp = createLivePlatformClient({
      baseUrl: s.url,
      token: 't',
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        headers = true;
        return res;
      },
    });
    const ac = new AbortController();
    const pending = lp.getTask('wst_1', { signal: ac.signal }).catch((e: unknown) => e);
    await until(() => headers);
    ac.abort(new Error('stop'));
    expect(await pending).toMatchObject({ message: 'stop' });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('a 401 dropped for a new token leaves no listener', async () => {
    let first = true;
    const s = await server((_req, res) => {
      if (first) {
        first = false;
        send(res, 401, '', { 'www-authenticate': 'Bearer error="invalid_token"' });
      } else send(res, 200, task);
    });
    let n = 0;
    const lp = createLivePlatformClient({ baseUrl: s.url, token: async () => `token-${++n}` });
    const { signal } = new AbortController();
    expect(await lp.getTask('wst_1', { signal })).toMatchObject(task);
    expect(s.received).toHaveLength(2);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
