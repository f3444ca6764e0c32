// Raw HTTP/1.1 over TCP, for what fetch cannot send or see: pipelining, absolute-form targets,
// half-sent requests, and whether the server closed the connection.
import { connect, type Socket } from 'node:net';

export function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends raw bytes and collects what comes back until the server closes or `timeoutMs` passes. */
export async function exchange(url: string, bytes: string | Buffer, timeoutMs = 10_000) {
  const socket = await open(url);
  const chunks: Buffer[] = [];
  return new Promise<{ text: string; closed: boolean }>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: false });
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: true });
    });
    socket.write(bytes);
  });
}

/** The status lines of every response in a raw stream, in order. */
export const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
