// The HTTP binding of the poll engine (src/tasks/ knows no HTTP, as in Azure core-lro): Get Task
// through the typed client, and the start requests.
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { readAnswerBody } from '../internal/answer-body.js';
import type { Redactor } from '../internal/redact.js';
import { parseRetryAfter } from '../internal/timers.js';
import { taskFrom, taskIdFrom } from '../tasks/errors.js';
import type { PollTask } from '../tasks/poller.js';
import type { Task } from '../types.js';
import { redactorOf, unwrap, type Result } from './errors.js';
import { isPacedAnswer, PACED } from './transport.js';

type HttpClient = Client<paths, `${string}/${string}`>;

/** Checks a parsed 2xx result against the contract (the client's `validateResponses`). */
export type ResultCheck = (result: Result) => unknown;

/**
 * A result read as text (ASP.NET may answer a string unquoted as text/plain, a proxy HTML), as `shape`
 * makes it of its body; only a shaped body goes on to the contract check. Non-JSON stays text to quote.
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

/** Get Task as text; `paced` (see PACED): the poller, one request per poll, paces a busy server itself. */
const getTask = (client: HttpClient, taskId: string, signal: AbortSignal | undefined, paced = false) =>
  client.GET('/api/v2/task/{taskId}', {
    params: { path: { taskId } },
    signal,
    parseAs: 'text',
    ...(paced && { [PACED]: true }),
  });

const taskOf = (result: Result, taskId: string, check?: ResultCheck) =>
  readAs(result, (body, redact) => taskFrom(body, taskId, redact), check);

/** Get Task once, for `lp.getTask()`: a 2xx that is not a task is an UnexpectedResponseError. */
export async function readTask(
  client: HttpClient,
  taskId: string,
  signal: AbortSignal | undefined,
  check?: ResultCheck,
): Promise<Task> {
  return taskOf(await getTask(client, taskId, signal), taskId, check);
}

/**
 * Get Task for the poller: a 429 or 503 with a Retry-After means "ask again then"; any other non-2xx
 * throws LivePlatformError, and a 2xx that is not a task UnexpectedResponseError.
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

/** The task id in a start's answer (read as text), whichever shape it has (see taskIdFrom). */
export async function startTask(request: Promise<Result>, check?: ResultCheck): Promise<string> {
  return readAs(await request, taskIdFrom, check);
}
