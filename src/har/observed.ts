// What a component that talks HTTP reports about one completed exchange, for a recorder to keep.
// No imports on purpose: the checker's transport and the proxy both produce it, and the HAR code
// that consumes it sits above the checker, so this type is the only thing they share.

export interface ObservedRequest {
  method: string;
  /** The absolute URL, query included. */
  url: string;
  headers: Record<string, string>;
  /** The body as sent (the API's bodies are UTF-8 JSON). */
  body?: string;
}

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as read, up to the reader's cap. */
  body: string;
  /** The body was longer than the cap and `body` holds its start. */
  truncated?: boolean;
}

export interface ObservedTimings {
  /** When the request started (ms since the epoch). */
  startedAt: number;
  /** Until the request was written. */
  sendMs: number;
  /** Until the response headers arrived. */
  waitMs: number;
  /** Until the response body was read. */
  receiveMs: number;
}

export interface ObservedExchange {
  request: ObservedRequest;
  /** Absent when no response came; `error` says why. */
  response?: ObservedResponse;
  error?: string;
  timings: ObservedTimings;
}

/** Receives every completed exchange; must not throw and must not keep a secret it is given. */
export type ExchangeObserver = (exchange: ObservedExchange) => void;
