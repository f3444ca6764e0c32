import { describe, expect, it } from 'vitest';
import { createLivePlatformClient } from '../../src/index.js';

describe('src/client/createClient.ts: path parameters', () => {
  it('encodes each parameter, so a crafted id cannot leave its path segment', async () => {
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return new Response(JSON.stringify('x'), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const lp = createLivePlatformClient({ baseUrl: 'https://live.example.com/', token: 't', fetch });
    await lp.GET('/api/v2/task/{taskId}', { params: { path: { taskId: '../customer?x=1#y' } } });
    await lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: 85844 } } });
    expect(urls).toEqual([
      'https://live.example.com/api/v2/task/..%2Fcustomer%3Fx%3D1%23y',
      'https://live.example.com/api/ovoc/v1/topology/customers/85844',
    ]);
  });
});
