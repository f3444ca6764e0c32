// A getTask that always answers `429 Retry-After: 0`: the task workflow must still stop at its
// deadline and poll no faster than its interval. Counts the getTask requests it got.
import { startConforming } from '../broken/conforming.js';

export async function startRetryLoop() {
  let getTask = 0;
  const server = await startConforming({
    override: ({ operationId, send }) => {
      if (operationId !== 'getTask') return false;
      getTask++;
      send(429, { title: 'Too Many Requests', status: 429 }, { 'retry-after': '0' });
      return true;
    },
  });
  return Object.assign(server, { getTaskRequests: () => getTask });
}
