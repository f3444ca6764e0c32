// The HTTP binding of the poll engine (src/tasks/, which knows no HTTP): Get Task through the typed
// client, and the start requests. It lives with the client, as Azure core-lro's bindings do.
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { readAnswerBody } from '../internal/answer-body.js';
import type { Redactor } from '../internal/redact.js';
import { parseRetryAfter } from '../internal/timers.js';
import { taskFrom, taskIdFrom } from '../tasks/errors.js';
import type { PollTask } from '../tasks/poller.js';
import type { Task } from '../types.js';
import { redactorOf, unwrap } from './errors.js';
import { isPacedAnswer, PACED } from './transport.js';

type HttpClient = Client<paths, `${string}/${string}`>;
type Result = { data?: unknown; error?: unknown; response: Response };

/** Checks a parsed 2xx result against the contract (the client's `validateResponses`), or nothing. */
export type ResultCheck = (result: Result) => unknown;

/**
 * A result read as text (`parseAs: 'text'`), as what `shape` makes of its body: a non-2xx throws
 * LivePlatformError, a body `shape` refuses its UnexpectedResponseError, and only a body of the
 * right shape goes on to the contract check. The body is parsed the way the server meant it
 * (src/internal/answer-body.ts): ASP.NET answers a string result as unquoted `text/plain`
 * (`tsk_185510`), and a proxy may answer HTML; text that is not JSON stays text, for the shape
 * checks to quote.
 */
async function readAs<T>(
  result: Result,
  shape: (body: unknown, redact: Redactor) => T,
  check?: ResultCheck,
): Promise<T> {
  const text = unwrap(result);
  const body =
    typeof text === 'string' ? readAnswerBody(text, result.response.headers.get('content-type')) : undefined;
  const data = body && 'value' in body ? body.value : body?.kind === 'unreadable' ? text : undefined;
  const value = shape(data, redactorOf(result.response));
  await check?.({ ...result, data });
  return value;
}

/**
 * Get Task, read as text. `paced` marks the request (./transport.ts PACED) so that its 429/503
 * answers with a Retry-After come straight back: the poller paces them itself, one Get Task
 * request per poll, whatever the server says.
 */
const getTask = (client: HttpClient, taskId: string, signal: AbortSignal | undefined, paced = false) =>
  client.GET('/api/v2/task/{taskId}', {
    params: { path: { taskId } },
    signal,
    parseAs: 'text',
    ...(paced && { [PACED]: true }),
  });

const taskOf = (result: Result, taskId: string, check?: ResultCheck) =>
  readAs(result, (body, redact) => taskFrom(body, taskId, redact), check);

/**
 * Get Task once, for `lp.getTask()`: the task, a LivePlatformError for a non-2xx, or an
 * UnexpectedResponseError for a 2xx that is not a task (never `{}` typed as a Task).
 */
export async function readTask(
  client: HttpClient,
  taskId: string,
  signal: AbortSignal | undefined,
  check?: ResultCheck,
): Promise<Task> {
  return taskOf(await getTask(client, taskId, signal), taskId, check);
}

/**
 * Reads a task with Get Task for the poller. Retry-After paces the next poll; a 429 or 503 that
 * carries one means "ask again then" (the poller never asks sooner than its interval); any other
 * non-2xx throws LivePlatformError, and a 2xx that is not a task throws UnexpectedResponseError.
 */
export function httpPollTask(client: HttpClient, check?: ResultCheck): PollTask {
  return async (taskId, signal) => {
    const result = await getTask(client, taskId, signal, true);
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
