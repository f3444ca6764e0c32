import { createLivePlatformClient } from 'live-platform-openapi';

// token: an Entra ID access token, or a function returning one
const lp = createLivePlatformClient({
  baseUrl: process.env.LIVE_PLATFORM_BASE_URL!,
  token: process.env.LIVE_PLATFORM_TOKEN!,
});

const taskId = 'tsk_185510'; // the id the operation answered

// One look at the task.
const { data: task, error } = await lp.GET(
  '/api/v2/task/{taskId}',
  { params: { path: { taskId } } },
);
if (error) {
  throw new Error(`Get Task: ${error.status} ${error.title}`);
}
console.log(`${task.status}: ${task.details.join(', ')}`);
for (const msg of task.executionMessages ?? []) {
  console.log(`  ${msg.level}: ${msg.message}`);
}

// Or poll until it leaves InProgress (then it never changes): the
// client backs off, honours Retry-After, and throws
// TaskFailedError on CompletedFailed unless told not to.
const done = await lp.tasks.wait(taskId, {
  throwOnFailure: false,
});
console.log(`${done.status}: ${done.details.join(', ')}`);
