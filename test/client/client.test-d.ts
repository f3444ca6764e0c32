import { describe, expectTypeOf, it } from 'vitest';
import {
  createLivePlatformClient,
  isLivePlatformError,
  resumeTask,
  unwrap,
  type EssentialsCustomer,
  type OvocCustomer,
  type ProblemDetails,
  type Task,
  type TaskPoller,
  type TaskOutcome,
  type ValidationProblemDetails,
} from '../../src/index.js';
import { outcomeOf } from '../../src/index.js';

const lp = createLivePlatformClient({ baseUrl: 'https://live.example.com', token: 't' });
const lead = {
  configurationName: 'OcEssential_IPGROUP_TYPE',
  customerShortName: 'SIPTest4',
  msTenantId: 'f79a7f93-5ef7-47d2-92c8-e4570503cec3',
  scriptParameters: { ProxySet: 'SIPTrunk', OnlinePstnGateway: 'oc1.example.com' },
} as const;

describe('src/client/createClient.ts types', () => {
  it('keeps the typed openapi-fetch calls, with data typed by the contract (not any)', async () => {
    const { data, error } = await lp.GET('/api/v2/task/{taskId}', { params: { path: { taskId: 'wst_1' } } });
    expectTypeOf(data).toExtend<Task | undefined>();
    expectTypeOf(data).not.toBeAny();
    expectTypeOf(data!.status).toEqualTypeOf<'InProgress' | 'CompletedSuccess' | 'CompletedFailed'>();
    expectTypeOf(error).not.toBeAny();
    const ovoc = unwrap(
      await lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: 85844 } } }),
    );
    expectTypeOf(ovoc).toEqualTypeOf<OvocCustomer>();
    const created = unwrap(
      await lp.POST('/api/v2/customer', {
        body: {
          shortName: 'A1b',
          siteLocation: { sbcId: 1, sbcOnboardingScript: 2, sbcCleanupScript: 3 },
          ovocCustomerType: 'IPGROUP_TYPE',
        },
      }),
    );
    expectTypeOf(created).toEqualTypeOf<EssentialsCustomer>();
    const id = unwrap(
      await lp.POST('/api/v2/customer/{customerGuid}/action/ovocimport', {
        params: { path: { customerGuid: 'g' } },
        body: { customerType: 'TENANT_TYPE', allowSbcIdUpdateForOvoc: false },
      }),
    );
    expectTypeOf(id).toEqualTypeOf<string>();
  });

  it('refuses wrong paths, wrong bodies and wrong path-parameter types', () => {
    // @ts-expect-error no such path
    void lp.GET('/api/v2/tasks/{taskId}', { params: { path: { taskId: 'x' } } });
    // @ts-expect-error Get Task is a GET, not a POST
    void lp.POST('/api/v2/task/{taskId}', { params: { path: { taskId: 'x' } } });
    // @ts-expect-error the OVOC id is a number, not a string
    void lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: '85844' } } });
    // @ts-expect-error the path parameter is required
    void lp.GET('/api/v2/task/{taskId}', { params: { path: {} } });
    // @ts-expect-error customerType must be one of the enum's values
    void lp.beginImportCustomer('g', { customerType: 'TENANT' });
    // @ts-expect-error a misspelt field of the closed lead request
    void lp.beginCreateCustomerFromLead({ ...lead, shortName: 'x' });
    const siteLocation = { sbcId: 1, sbcOnboardingScript: 2, sbcCleanupScript: 3 };
    const body = { shortName: 42, siteLocation, ovocCustomerType: 'IPGROUP_TYPE' } as const;
    // @ts-expect-error shortName must be a string
    void lp.POST('/api/v2/customer', { body });
  });

  it('gives a poller at once, awaitable to the Task', async () => {
    const poller = lp.beginCreateCustomerFromLead(lead);
    expectTypeOf(poller).toEqualTypeOf<TaskPoller>();
    expectTypeOf(await poller).toEqualTypeOf<Task>();
    expectTypeOf(poller.taskId).toEqualTypeOf<Promise<string>>();
    expectTypeOf(poller.onProgress(() => {})).toEqualTypeOf<() => void>();
    expectTypeOf(poller.serialize()).toEqualTypeOf<string>();
    expectTypeOf(resumeTask(lp, poller.serialize())).toEqualTypeOf<TaskPoller>();
    expectTypeOf(await lp.tasks.wait('wst_1', { timeoutMs: 1 })).toEqualTypeOf<Task>();
    expectTypeOf(outcomeOf(await poller)).toEqualTypeOf<TaskOutcome>();
    // @ts-expect-error intervalMs is a number of milliseconds
    lp.tasks.wait('wst_1', { intervalMs: '1s' });
  });

  it('narrows errors by status, with the problem type of that status', () => {
    const e: unknown = new Error();
    if (isLivePlatformError(e, 400)) {
      expectTypeOf(e.status).toEqualTypeOf<400>();
      expectTypeOf(e.problem).toEqualTypeOf<ValidationProblemDetails | undefined>();
    }
    if (isLivePlatformError(e, 404)) {
      expectTypeOf(e.status).toEqualTypeOf<404>();
      expectTypeOf(e.problem).toEqualTypeOf<ProblemDetails | undefined>();
    }
    if (isLivePlatformError(e)) expectTypeOf(e.status).toEqualTypeOf<number>();
  });

  it('refuses wrong client options', () => {
    // @ts-expect-error the token is required
    createLivePlatformClient({ baseUrl: 'https://x' });
    // @ts-expect-error maxAttempts is a number
    createLivePlatformClient({ baseUrl: 'https://x', token: 't', retry: { maxAttempts: 'three' } });
    // @ts-expect-error maxResponseBytes is a number of bytes
    createLivePlatformClient({ baseUrl: 'https://x', token: 't', maxResponseBytes: '4MB' });
    createLivePlatformClient({ baseUrl: 'https://x', token: 't', maxResponseBytes: 2 ** 20 });
  });
});
