import { describe, expectTypeOf, it } from 'vitest';
import {
  TaskFailedError,
  createLivePlatformClient,
  isLivePlatformError,
  resumeTask,
  unwrap,
  type CreateCustomerFromLeadRequest,
  type CreateEssentialsCustomerRequest,
  type CustomerOutputData,
  type EssentialsCustomer,
  type FailedTaskOutcome,
  type ImportCustomerRequest,
  type LeadConversionTask,
  type SucceededTask,
  type WaitOptions,
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
    expectTypeOf(poller).toEqualTypeOf<TaskPoller<LeadConversionTask>>();
    expectTypeOf(await poller).toEqualTypeOf<LeadConversionTask>();
    expectTypeOf(await poller).toExtend<Task>();
    expectTypeOf(poller.taskId).toEqualTypeOf<Promise<string>>();
    expectTypeOf(poller.onProgress(() => {})).toEqualTypeOf<() => void>();
    expectTypeOf(poller.serialize()).toEqualTypeOf<string>();
    expectTypeOf(resumeTask(lp, poller.serialize())).toEqualTypeOf<TaskPoller>();
    expectTypeOf(await lp.tasks.wait('wst_1', { timeoutMs: 1 })).toEqualTypeOf<Task>();
    expectTypeOf(outcomeOf(await poller)).toEqualTypeOf<TaskOutcome>();
    // @ts-expect-error intervalMs is a number of milliseconds
    lp.tasks.wait('wst_1', { intervalMs: '1s' });
  });

  it('types a request literal with the exported request types, which a bare literal widens past', () => {
    const typed = {
      configurationName: 'OcEssential_IPGROUP_TYPE',
      customerShortName: 'SIPTest4',
      msTenantId: 'f79a7f93-5ef7-47d2-92c8-e4570503cec3',
      scriptParameters: { ProxySet: 'SIPTrunk', OnlinePstnGateway: 'oc1.example.com' },
    } satisfies CreateCustomerFromLeadRequest;
    void lp.beginCreateCustomerFromLead(typed);
    const bare = { ...typed, configurationName: typed.configurationName as string };
    // @ts-expect-error a literal without its type widens configurationName to string
    void lp.beginCreateCustomerFromLead(bare);
    const wrong = {
      ...typed,
      // @ts-expect-error satisfies catches a configuration name the contract does not list, where it is written
      configurationName: 'OcEssential_IPGROUP',
    } satisfies CreateCustomerFromLeadRequest;
    void wrong;
    const essentials: CreateEssentialsCustomerRequest = {
      shortName: 'Acme1',
      siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
      ovocCustomerType: 'IPGROUP_TYPE',
    };
    void lp.POST('/api/v2/customer', { body: essentials });
    const importBody = { customerType: 'TENANT_TYPE' } satisfies ImportCustomerRequest;
    void lp.beginImportCustomer('g', importBody);
  });

  it('types outputData per workflow: the lead conversion has its guid without a cast', async () => {
    const converted = await lp.beginCreateCustomerFromLead(lead);
    expectTypeOf(converted.status).toEqualTypeOf<'CompletedSuccess'>();
    expectTypeOf(converted.outputData).toEqualTypeOf<CustomerOutputData>();
    expectTypeOf(converted.outputData.umpCustomerGuid).toEqualTypeOf<string | null>();
    const imported = await lp.beginImportCustomer('g', { customerType: 'TENANT_TYPE' });
    expectTypeOf(imported.status).toEqualTypeOf<'CompletedSuccess'>();
    expectTypeOf(imported).toEqualTypeOf<SucceededTask>();
    // A task that may have failed keeps the contract's union, and a status that may be CompletedFailed.
    const any = await lp.beginCreateCustomerFromLead(lead, { throwOnFailure: false });
    expectTypeOf(any).toEqualTypeOf<Task>();
    // @ts-expect-error the no-lead task's outputData (wup_) has no umpCustomerGuid
    void any.outputData.umpCustomerGuid;
    const options: WaitOptions = { intervalMs: 50 };
    expectTypeOf(await lp.beginCreateCustomerFromLead(lead, options)).toEqualTypeOf<Task>();
    expectTypeOf(
      await lp.beginCreateCustomerFromLead(lead, { intervalMs: 50 }),
    ).toEqualTypeOf<LeadConversionTask>();
    // @ts-expect-error a plain Task's outputData is the union of every workflow's
    void (await lp.getTask('wst_1')).outputData.umpCustomerGuid;
  });

  it('types TaskFailedError.outcome as the two failed outcomes', () => {
    const e: unknown = new Error();
    if (e instanceof TaskFailedError) {
      expectTypeOf(e.outcome).toEqualTypeOf<'failed' | 'validation-failed'>();
      expectTypeOf(e.outcome).toEqualTypeOf<FailedTaskOutcome>();
      // @ts-expect-error a failed task is never converted
      if (e.outcome === 'converted') throw e;
    }
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
