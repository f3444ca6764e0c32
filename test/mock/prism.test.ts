import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLivePlatformClient,
  type CreateCustomerFromLeadRequest,
  type CreateEssentialsCustomerRequest,
  type ImportCustomerRequest,
} from '../../src/index.js';
import { specExample, validateResponseBody } from '../../src/contract/index.js';
import { startMock, type Target } from '../support/servers.js';

let mock: Target;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock?.close();
});

const client = (headers?: Record<string, string>) =>
  createLivePlatformClient({ baseUrl: mock.baseUrl, token: mock.token, ...(headers ? { headers } : {}) });

describe('src/mock/prism.ts: the client against the Prism mock', () => {
  it('importCustomerFromOvoc answers the bare task id', async () => {
    const { data, response } = await client().POST('/api/v2/customer/{customerGuid}/action/ovocimport', {
      params: { path: { customerGuid: '182f496c-0aaa-4023-bdd4-03b9cf8f68b9' } },
      body: specExample<ImportCustomerRequest>('ImportCustomerRequest'),
    });
    expect(response.status).toBe(200);
    expect(data).toBe('tsk_185510');
  });

  it('createEssentialsCustomer answers the created customer', async () => {
    const { data } = await client().POST('/api/v2/customer', {
      body: specExample<CreateEssentialsCustomerRequest>('CreateEssentialsCustomerRequest'),
    });
    expect(data).toEqual(specExample('EssentialsCustomerCreated'));
  });

  it('verifyLcCustomer answers OVOC customer 85844', async () => {
    const { data } = await client().PUT('/api/ovoc/v1/topology/customers/{id}', {
      params: { path: { id: 85844 } },
    });
    expect(data?.id).toBe(85844);
    expect(data).toEqual(specExample('OvocCustomerBrad984'));
  });

  it('createCustomerFromLead answers {taskId}', async () => {
    const { data } = await client().POST('/api/v3/customer', {
      body: specExample<CreateCustomerFromLeadRequest>('CreateCustomerFromLeadRequest'),
    });
    expect(data).toEqual({ taskId: 'wst_1a93b0c9-5ab0-4d3f-af25-c0f18ad0aa2e' });
  });

  it('getTask answers a task, and a named example on request', async () => {
    const lp = client({ Prefer: 'example=TaskCustomerAlreadyConverted' });
    const { data } = await lp.GET('/api/v2/task/{taskId}', { params: { path: { taskId: 'wst_1' } } });
    expect(data?.details).toEqual(['CustomerAlreadyConverted']);
    expect(validateResponseBody('getTask', 200, data).issues).toEqual([]);
  });

  it('a declared error status via Prefer: code=404 arrives as a typed problem', async () => {
    const lp = client({ Prefer: 'code=404' });
    const { data, error, response } = await lp.GET('/api/v2/task/{taskId}', {
      params: { path: { taskId: 'tsk_1' } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(error).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('a 429 carries Retry-After', async () => {
    const { response } = await client({ Prefer: 'code=429' }).GET('/api/v2/task/{taskId}', {
      params: { path: { taskId: 'tsk_1' } },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toMatch(/^[0-9]+$/);
  });

  it('an invalid body gets the declared 400 validation problem', async () => {
    const { error, response } = await client().POST('/api/v2/customer', {
      // @ts-expect-error the short name must be a string; the mock must refuse what the types refuse
      body: { ...specExample<object>('CreateEssentialsCustomerRequest'), shortName: 42 },
    });
    expect(response.status).toBe(400);
    expect(error).toHaveProperty('errors');
  });

  it('no token: 401 with WWW-Authenticate', async () => {
    const res = await fetch(`${mock.baseUrl}/api/v2/task/tsk_185510`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
