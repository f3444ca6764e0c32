import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One client connection and the responses it still waits for (pipelined requests queue up). */
interface Connection {
  socket: Socket;
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
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly maxConnections: number) {}

  get size(): number {
    return this.open.size;
  }

  /** A new connection: at the cap, the oldest one without a request in flight makes room. */
  connected(socket: Socket): void {
    const conn: Connection = { socket, pending: new Set() };
    this.open.set(socket, conn);
    socket.once('close', () => {
      this.open.delete(socket);
      this.checkIdle();
    });
    if (this.open.size > this.maxConnections) this.shed(socket);
  }

  /** Destroys the least recently used connection that has no request being answered. */
  private shed(except: Socket): void {
    for (const conn of this.open.values()) {
      if (conn.socket !== except && conn.pending.size === 0) {
        conn.socket.destroy();
        this.open.delete(conn.socket);
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
    res.once('close', () => {
      conn.pending.delete(res);
      if (conn.pending.size === 0 && conn.afterPending) {
        const run = conn.afterPending;
        conn.afterPending = undefined;
        run();
      }
      this.checkIdle();
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

  /** How many requests are being answered right now. */
  inFlight(): number {
    let n = 0;
    for (const conn of this.open.values()) n += conn.pending.size;
    return n;
  }

  /** Resolves once no request is in flight, or after `ms`, whichever comes first. */
  idle(ms: number): Promise<void> {
    if (this.inFlight() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.idleWaiters.push(done);
    });
  }

  /** Ends every connection, including those Node's server no longer tracks (after a parse error). */
  destroyAll(): void {
    for (const socket of this.open.keys()) socket.destroy();
    this.open.clear();
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.inFlight() !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
