import { createLivePlatformClient } from 'live-platform-openapi';

// token: an Entra ID access token, or a function returning one
const lp = createLivePlatformClient({
  baseUrl: process.env.LIVE_PLATFORM_BASE_URL!,
  token: process.env.LIVE_PLATFORM_TOKEN!,
});

const { data: taskId, error } = await lp.POST(
  '/api/v2/customer/{customerGuid}/action/ovocimport',
  {
    params: {
      path: {
        customerGuid: '182f496c-0aaa-4023-bdd4-03b9cf8f68b9',
      },
    },
    body: {
      customerType: 'IPGROUP_TYPE',
      customerSource: 'LTC',
      customerMsTenantId: '4bf50a33-a383-4d3f-9403-220c898bc1b2',
      lcCustomerId: '1317092',
    },
  },
);
if (error) {
  throw new Error(`Import: ${error.status} ${error.title}`);
}

// The answer is the task id as a bare string, e.g. "tsk_185510".
// Poll getTask until the task is terminal (the client does it; it
// throws TaskFailedError on CompletedFailed):
const task = await lp.tasks.wait(taskId);
console.log(`Import ${task.status}`);
