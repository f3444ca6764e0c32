import { setTimeout as sleep } from 'node:timers/promises';
import { createLivePlatformClient } from 'live-platform-openapi';

// token: an Entra ID access token, or a function returning one
const lp = createLivePlatformClient({
  baseUrl: process.env.LIVE_PLATFORM_BASE_URL!,
  token: process.env.LIVE_PLATFORM_TOKEN!,
});

const taskId = 'tsk_185510'; // the id the operation answered

// Poll until the task leaves InProgress; then it never changes.
for (let attempt = 1; attempt <= 60; attempt++) {
  const { data: task, error } = await lp.GET(
    '/api/v2/task/{taskId}',
    { params: { path: { taskId } } },
  );
  if (error) {
    throw new Error(`Get Task: ${error.status} ${error.title}`);
  }

  if (task.status !== 'InProgress') {
    console.log(`${task.status}: ${task.details.join(', ')}`);
    for (const msg of task.executionMessages ?? []) {
      console.log(`  ${msg.level}: ${msg.message}`);
    }
    break;
  }
  await sleep(5_000); // on 429, wait as Retry-After says
}
