// The HTTP binding of the poll engine (src/tasks/, which knows no HTTP): Get Task through the typed
// client, and the start requests. It lives with the client, as Azure core-lro's bindings do.
import { readAnswerBody } from '../internal/answer-body.js';
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { parseRetryAfter } from '../internal/timers.js';
import type { PollTask } from '../tasks/poller.js';
import { taskFrom, taskIdFrom } from '../tasks/status.js';
import type { Task } from '../types.js';
import { redactorOf, unwrap } from './errors.js';
import { isPacedAnswer, PACED } from './transport.js';

type LivePlatformHttpClient = Client<paths, `${string}/${string}`>;

type Result = { data?: unknown; error?: unknown; response: Response };

/** Checks a parsed 2xx result against the contract (the client's `validateResponses`), or nothing. */
export type ResultCheck = (result: Result) => unknown;

/**
 * Marks a request whose 429/503 answers with a Retry-After the poller paces itself, so the transport
 * does not retry them at once in between: one Get Task request per poll, whatever the server says.
 */
const PACED_INIT = { [PACED]: true } as const;

/**
 * A 2xx body read as text (`parseAs: 'text'`), parsed the way the server meant it: JSON, or for
 * `text/plain` the text itself. ASP.NET's string formatter answers a string result as unquoted
 * `text/plain` (`tsk_185510`) when the client accepts it, and a proxy may answer HTML: read as JSON,
 * both would be a bare SyntaxError. Text that is not JSON stays text, for the shape checks to quote.
 */
export function parseBody(text: unknown, response: Response): unknown {
  if (typeof text !== 'string') return undefined;
  const body = readAnswerBody(text, response.headers.get('content-type'));
  if (body.kind === 'empty') return undefined;
  // Text that is not JSON stays text, for the shape checks to quote.
  return body.kind === 'unreadable' ? text : body.value;
}

/**
 * A result read as text, as what `shape` makes of its parsed body: a non-2xx throws
 * LivePlatformError, a body `shape` refuses its UnexpectedResponseError, and only a body of the
 * right shape goes on to the contract check.
 */
async function readAs<T>(
  result: Result,
  shape: (body: unknown, redact: (text: string) => string) => T,
  check?: ResultCheck,
): Promise<T> {
  const parsed = { ...result, data: parseBody(unwrap(result), result.response) };
  const value = shape(parsed.data, redactorOf(result.response));
  await check?.(parsed);
  return value;
}

/** A Get Task result as a Task. */
const taskOf = (result: Result, taskId: string, check?: ResultCheck) =>
  readAs(result, (body, redact) => taskFrom(body, taskId, redact), check);

/**
 * Get Task once, for `lp.getTask()`: the task, a LivePlatformError for a non-2xx, or an
 * UnexpectedResponseError for a 2xx that is not a task (never `{}` typed as a Task).
 */
export async function readTask(
  client: LivePlatformHttpClient,
  taskId: string,
  signal: AbortSignal | undefined,
  check?: ResultCheck,
): Promise<Task> {
  const path = { taskId };
  return taskOf(
    await client.GET('/api/v2/task/{taskId}', { params: { path }, signal, parseAs: 'text' }),
    taskId,
    check,
  );
}

/**
 * Reads a task with Get Task for the poller. Retry-After paces the next poll; a 429 or 503 that
 * carries one means "ask again then" (the poller never asks sooner than its interval); any other
 * non-2xx throws LivePlatformError, and a 2xx that is not a task throws UnexpectedResponseError.
 */
export function httpPollTask(client: LivePlatformHttpClient, check?: ResultCheck): PollTask {
  return async (taskId, signal) => {
    const result = await client.GET('/api/v2/task/{taskId}', {
      params: { path: { taskId } },
      signal,
      parseAs: 'text',
      ...PACED_INIT,
    });
    const { status, headers } = result.response;
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    if (isPacedAnswer(status, retryAfterMs)) return { retryAfterMs };
    return { task: await taskOf(result, taskId, check), retryAfterMs, redact: redactorOf(result.response) };
  };
}

/**
 * The task id from the answer of an operation that queues a task, whichever of the shapes it has
 * (JSON string, unquoted text/plain, `{taskId}`, `{jobId}`). The request is made with `parseAs: 'text'`.
 */
export async function startTask(request: Promise<Result>, check?: ResultCheck): Promise<string> {
  return readAs(await request, taskIdFrom, check);
}
