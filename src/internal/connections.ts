import { EventEmitter, once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a client may take, and how many connections it may hold. */
export interface ConnectionLimits {
  /** Time to send the request headers; a half-sent request is cut off after it (408). */
  headersTimeoutMs: number;
  /** Time to send the whole request, body included (not the time the sandbox takes to answer). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections above this make the least recently used one without a request in flight close. */
  maxConnections: number;
  /** On close(), SIGTERM or SIGINT: how long requests in flight get to finish. */
  drainTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  // Below the usual soft limit of 1024 file descriptors, leaving room for the process's own.
  maxConnections: 900,
  drainTimeoutMs: 3_000,
};

/** One client connection and the responses it still waits for (pipelined requests queue up). */
interface Connection {
  pending: Set<ServerResponse>;
  /** Runs once no response is pending: the parse-error answer that must come after them. */
  afterPending?: () => void;
}

/**
 * Tracks the open connections, least recently used first, so that the sandbox can (a) shed idle
 * and half-sent connections when there are too many, before the process runs out of file
 * descriptors and the kernel starts resetting everyone, (b) write a parse-error answer only after
 * the pipelined answers already produced on that connection, and (c) drain on close.
 */
export class ConnectionTracker {
  // A Map iterates in insertion order; a connection is re-inserted on each request, so the first
  // entries are the ones that have been quiet the longest.
  private readonly open = new Map<Socket, Connection>();
  /** How many requests are being answered right now. */
  inFlight = 0;
  private readonly events = new EventEmitter();

  constructor(private readonly maxConnections: number) {}

  /** A new connection: at the cap, the least recently used one without a request in flight goes. */
  connected(socket: Socket): void {
    this.open.set(socket, { pending: new Set() });
    socket.once('close', () => this.open.delete(socket));
    if (this.open.size <= this.maxConnections) return;
    for (const [other, conn] of this.open) {
      if (other !== socket && conn.pending.size === 0) {
        other.destroy();
        this.open.delete(other);
        return;
      }
    }
  }

  request(req: IncomingMessage, res: ServerResponse): void {
    const conn = this.open.get(req.socket);
    if (!conn) return;
    this.open.delete(req.socket);
    this.open.set(req.socket, conn);
    conn.pending.add(res);
    this.inFlight++;
    res.once('close', () => {
      conn.pending.delete(res);
      const run = conn.pending.size === 0 ? conn.afterPending : undefined;
      if (run) conn.afterPending = undefined;
      run?.();
      if (--this.inFlight === 0) this.events.emit('idle');
    });
  }

  /** The responses not yet finished on this socket (oldest first). */
  pendingOn(socket: Socket): ServerResponse[] {
    return [...(this.open.get(socket)?.pending ?? [])];
  }

  /** Runs `fn` once every response pending on the socket is done (now, when there is none). */
  afterPending(socket: Socket, fn: () => void): void {
    const conn = this.open.get(socket);
    if (!conn || conn.pending.size === 0) return fn();
    conn.afterPending = fn;
  }

  /** Resolves once no request is in flight, or after `ms`, whichever comes first. */
  async idle(ms: number): Promise<void> {
    if (this.inFlight > 0)
      await once(this.events, 'idle', { signal: AbortSignal.timeout(ms) }).catch(() => {});
  }

  /** Ends every connection, including those Node's server no longer tracks (after a parse error). */
  destroyAll(): void {
    for (const socket of this.open.keys()) socket.destroy();
    this.open.clear();
  }
}
