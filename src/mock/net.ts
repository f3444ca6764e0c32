import type { AddressInfo } from 'node:net';
import { createServer, connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCodeOrText } from '../internal/exchange.js';
import { ListenError, listenErrorOf } from '../internal/http-server.js';

export { ListenError };

/** Asks the OS for a free loopback port. */
export const freePort = (host = '127.0.0.1'): Promise<number> => listenOnce(0, host);

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 30_000,
  signal?: AbortSignal,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ port, host }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await delay(50);
  }
}

/**
 * Listens on host:port for a moment and lets go, so a taken port or a host that is not ours is
 * reported before a child server starts (its readiness probe would reach the other server). The
 * host lookup is bounded: a resolver that never answers counts as a bad host after timeoutMs.
 */
export async function assertCanListen(port: number, host: string, timeoutMs = 5000): Promise<void> {
  await listenOnce(port, host, timeoutMs);
}

/** What assertCanListen does; resolves to the port it held (the one the OS picked, for port 0). */
function listenOnce(port: number, host: string, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    const timer = setTimeout(() => {
      // A lookup that answers late closes in the listen callback below; a late error is dropped.
      srv.on('error', () => {});
      reject(new ListenError('bad-host', host, port, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    srv.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(listenErrorOf(err, host, port) ?? new ListenError('bad-host', host, port, errorCodeOrText(err)));
    });
    srv.listen({ port, host, exclusive: true }, () => {
      clearTimeout(timer);
      const held = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(held));
    });
  });
}
