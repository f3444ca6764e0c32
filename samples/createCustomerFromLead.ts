import { createLivePlatformClient } from 'live-platform-openapi';

// token: an Entra ID access token, or a function returning one
const lp = createLivePlatformClient({
  baseUrl: process.env.LIVE_PLATFORM_BASE_URL!,
  token: process.env.LIVE_PLATFORM_TOKEN!,
});

const { data, error } = await lp.POST('/api/v3/customer', {
  body: {
    configurationName: 'OcEssential_IPGROUP_TYPE',
    customerShortName: 'SIPTest4',
    customerFullName: 'SIPTest4',
    msTenantId: 'f79a7f93-5ef7-47d2-92c8-e4570503cec3',
    scriptParameters: {
      ProxySet: 'SIPTrunk',
      OnlinePstnGateway: 'oc1.sandbox2.audiocodes.be',
    },
  },
});
if (error) {
  throw new Error(`Conversion: ${error.status} ${error.title}`);
}

// The task checks the names, not the request: poll getTask until
// it is terminal. details: Converted or CustomerAlreadyConverted;
// Failed and ValidationFailed throw TaskFailedError.
// (lp.beginCreateCustomerFromLead(body) starts and polls in one.)
// The answer is {taskId} or, as a sibling vendor page shows, {jobId}.
const taskId = 'taskId' in data ? data.taskId : data.jobId;
const task = await lp.tasks.wait(taskId);
console.log(`${task.details.join(', ')}:`, task.outputData);
