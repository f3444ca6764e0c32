// The HTTP binding of the poll engine: Get Task through the typed client, and the start requests.
import type { LivePlatformHttpClient } from '../client/createClient.js';
import { unwrap } from '../client/errors.js';
import type { PollTask } from './poller.js';
import { taskIdFrom } from './status.js';
import { parseRetryAfter } from './timing.js';

/** Reads a task with Get Task; a non-2xx answer throws LivePlatformError, Retry-After paces the next poll. */
export function httpPollTask(client: LivePlatformHttpClient): PollTask {
  return async (taskId, signal) => {
    const result = await client.GET('/api/v2/task/{taskId}', { params: { path: { taskId } }, signal });
    return {
      task: unwrap(result),
      retryAfterMs: parseRetryAfter(result.response.headers.get('retry-after')),
    };
  };
}

/** The task id from the answer of an operation that queues a task, whichever of the three shapes it has. */
export async function startTask(
  request: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<string> {
  return taskIdFrom(unwrap(await request));
}
