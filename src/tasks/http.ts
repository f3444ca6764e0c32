// The HTTP binding of the poll engine: Get Task through the typed client, and the start requests.
import type { LivePlatformHttpClient } from '../client/createClient.js';
import { unwrap } from '../client/errors.js';
import type { PollTask } from './poller.js';
import { taskIdFrom } from './status.js';
import { parseRetryAfter } from './timing.js';

/**
 * Reads a task with Get Task. Retry-After paces the next poll; a 429 or 503 that carries one (longer
 * than the transport's retry budget) means "ask again then"; any other non-2xx throws LivePlatformError.
 */
export function httpPollTask(client: LivePlatformHttpClient): PollTask {
  return async (taskId, signal) => {
    const result = await client.GET('/api/v2/task/{taskId}', { params: { path: { taskId } }, signal });
    const { status, headers } = result.response;
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    if ((status === 429 || status === 503) && retryAfterMs !== undefined) return { retryAfterMs };
    return { task: unwrap(result), retryAfterMs };
  };
}

/** The task id from the answer of an operation that queues a task, whichever of the three shapes it has. */
export async function startTask(
  request: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<string> {
  return taskIdFrom(unwrap(await request));
}
