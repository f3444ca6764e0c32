// An injected fetch for the client's tests: answers from a script, records what was sent.
export interface SentRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
  at: number;
}

export type Answer = Response | Error | ((req: SentRequest) => Response | Promise<Response>);

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json', ...headers },
  });

export const problem = (
  status: number,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  json(
    { type: 'about:blank', title: `Status ${status}`, status, traceId: `00-trace-${status}`, ...extra },
    status,
    headers,
  );

/** Answers in order; the last answer repeats. */
export function fakeFetch(...answers: Answer[]) {
  const sent: SentRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req: SentRequest = {
      url: String(input instanceof Request ? input.url : input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal: init?.signal ?? undefined,
      at: Date.now(),
    };
    sent.push(req);
    const a = answers[Math.min(sent.length - 1, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? a(req) : a.clone();
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

/** A fetch error like undici's when nothing listens on the port. */
export function refused(): Error {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause });
}

/** A fetch error after the server may have seen the request (the socket closed mid-answer). */
export function reset(): Error {
  const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  return new TypeError('fetch failed', { cause });
}

/** Never answers; rejects with the signal's reason when it aborts (as undici does). */
export const hang = (req: SentRequest) =>
  new Promise<Response>((_, reject) => {
    req.signal?.addEventListener('abort', () => reject(req.signal!.reason));
  });
