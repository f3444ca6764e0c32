// A raw TCP server for the hostile fixtures that node:http cannot express (a status line dripped a
// byte at a time, a reset mid-body). Every socket and timer it opens is closed by close().
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RunningTestServer } from '../broken/conforming.js';

export interface RawServer extends RunningTestServer {
  /** How many connections were accepted. */
  connections(): number;
  /** How many of them are still open (this server never ends one itself before close()). */
  open(): number;
}

export async function startRaw(
  onSocket: (socket: Socket, timers: Set<NodeJS.Timeout>) => void,
): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket, timers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: [],
    connections: () => count,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `text` one byte per `everyMs`, for as long as the socket is open. */
export function drip(socket: Socket, timers: Set<NodeJS.Timeout>, text: string, everyMs = 1000): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) {
      clearInterval(timer);
      timers.delete(timer);
      return;
    }
    socket.write(text[i++ % text.length]!);
  }, everyMs);
  timers.add(timer);
  socket.on('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}
