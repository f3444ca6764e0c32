import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { DEFAULT_SANDBOX_TOKEN, SeedError, startSandbox, type SandboxSeed } from '../../src/sandbox/index.js';
import type { OvocCustomer, Task } from '../../src/types.js';
import { ManualClock, sandboxTest, test } from '../support/fixtures.js';
import { conformance, expectConformance, finishTask } from './conformance.js';

const NEW_TENANT = '0b5f2a3c-1d2e-4f50-8a6b-7c8d9e0f1a2b';
const lead = (msTenantId: string) => ({
  ...specExample<object>('CreateCustomerFromLeadRequest'),
  msTenantId,
});

// One sandbox for the control-plane tests, reset before each; at the end of the file the fixture
// checks that 50 answers or more all conformed (the 503 faults aside).
const it = sandboxTest({}, { atLeast: 50, expected5xx: [503] });

describe('src/sandbox/control.ts: the control plane', () => {
  it.beforeEach(async ({ c }) => {
    await c.call('POST', '/_sandbox/reset');
  });

  it('POST /_sandbox/leads adds an active lead that create-from-lead then converts', async ({
    c,
    sandbox,
  }) => {
    const before = await c.call('POST', '/api/v3/customer', { json: lead(NEW_TENANT) });
    expect((await finishTask(c, sandbox, before.body.taskId)).body.details).toEqual(['ValidationFailed']);
    const added = await c.call('POST', '/_sandbox/leads', { json: { msTenantId: NEW_TENANT } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      msTenantId: NEW_TENANT,
      active: true,
      converted: false,
      convertedCustomerGuid: null,
    });
    const after = await c.call('POST', '/api/v3/customer', { json: lead(NEW_TENANT) });
    expect(after.body.taskId).toMatch(/^wst_/);
    expect((await finishTask(c, sandbox, after.body.taskId)).body.details).toEqual(['Converted']);
    const { body } = await c.call('GET', '/_sandbox/state');
    expect(body.leads).toContainEqual(expect.objectContaining({ msTenantId: NEW_TENANT, converted: true }));
  });

  it('refuses a lead body without a uuid msTenantId, or with other fields, with 400 errors', async ({
    c,
  }) => {
    const cases: [unknown, string[]][] = [
      [{}, ['msTenantId']],
      [{ msTenantId: 'nope' }, ['msTenantId']],
      [{ msTenantId: NEW_TENANT, extra: 1 }, ['extra']],
      [[NEW_TENANT], ['$']],
    ];
    for (const [json, fields] of cases) {
      const a = await c.call('POST', '/_sandbox/leads', { json });
      expect(a.status).toBe(400);
      expect(Object.keys(a.body.errors)).toEqual(fields);
    }
  });

  it('POST /_sandbox/reset returns to the fixtures: created customers, tasks and faults are gone', async ({
    c,
  }) => {
    const created = await c.call('POST', '/api/v2/customer', {
      json: { ...specExample<object>('CreateEssentialsCustomerRequest'), shortName: 'Gone1' },
    });
    await c.call('POST', '/_sandbox/faults', {
      json: { fault: '503', count: 5, operationId: 'verifyLcCustomer' },
    });
    expect((await c.call('GET', '/_sandbox/state')).body.faults).toHaveLength(1);
    const reset = await c.call('POST', '/_sandbox/reset', {
      raw: 'ignored',
      headers: { 'content-type': 'text/plain' },
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ reset: true });
    const { body } = await c.call('GET', '/_sandbox/state');
    expect(body.faults).toEqual([]);
    expect(body.customers.map((x: any) => x.id)).toEqual(['182f496c-0aaa-4023-bdd4-03b9cf8f68b9']);
    expect(body.customers.some((x: any) => x.id === created.body.id)).toBe(false);
    expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/85844')).status).toBe(200);
    // The ids count from the start again.
    const imp = await c.call(
      'POST',
      '/api/v2/customer/182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport',
      {
        json: { customerType: 'IPGROUP_TYPE' },
      },
    );
    expect(imp.body).toBe('tsk_185511');
  });

  it('GET /_sandbox/customer?id= answers one customer with the OVOC customer its import made', async ({
    c,
  }) => {
    const guid = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
    const before = await c.call('GET', `/_sandbox/customer?id=${guid}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: guid, shortName: 'BradSB1E1', ovocCustomerId: null });
    await c.call('POST', `/api/v2/customer/${guid}/action/ovocimport`, {
      json: { customerType: 'IPGROUP_TYPE' },
    });
    const after = await c.call('GET', `/_sandbox/customer?id=${guid}`);
    expect(after.body.ovocCustomerId).toBe(85845);
    const unknown = await c.call('GET', '/_sandbox/customer?id=5a0c3b8e-9a55-4c0e-9d7e-1b2c3d4e5f60');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const bad = await c.call('GET', '/_sandbox/customer?id=not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.id[0]).toMatch(/uuid/);
  });

  it('GET /_sandbox/state shows customers, OVOC customers, leads, SBCs, tasks and pending faults', async ({
    c,
  }) => {
    const a = await c.call('GET', '/_sandbox/state');
    expect(a.status).toBe(200);
    expect(Object.keys(a.body).sort()).toEqual([
      'counts',
      'customers',
      'faults',
      'leads',
      'limits',
      'ovocCustomers',
      'page',
      'sbcs',
      'tasks',
    ]);
    expect(a.body.ovocCustomers).toEqual([specExample('OvocCustomerBrad984')]);
    expect(a.body.tasks).toContainEqual({
      id: 'tsk_185510',
      workflow: 'import',
      status: 'CompletedSuccess',
      details: [null],
      completesAt: expect.any(String),
    });
  });

  describe('faults', () => {
    it('429: the next N requests get 429 with Retry-After and a problem body, then requests pass', async ({
      c,
    }) => {
      const f = await c.call('POST', '/_sandbox/faults', { json: { fault: '429', count: 2 } });
      expect(f.status).toBe(201);
      expect(f.body).toMatchObject({
        fault: '429',
        remaining: 2,
        operationId: null,
        retryAfter: '1',
        delayMs: null,
      });
      for (let i = 0; i < 2; i++) {
        const a = await c.call('GET', '/api/v2/task/tsk_185510');
        expect(a.status).toBe(429);
        expect(a.headers.get('retry-after')).toBe('1');
        expect(a.body.title).toBe('Too Many Requests');
      }
      expect((await c.call('GET', '/api/v2/task/tsk_185510')).status).toBe(200);
    });

    it('applies only to the named operation, and never to the control plane', async ({ c }) => {
      await c.call('POST', '/_sandbox/faults', {
        json: { fault: '429', operationId: 'verifyLcCustomer', retryAfter: '7' },
      });
      expect((await c.call('GET', '/api/v2/task/tsk_185510')).status).toBe(200);
      expect((await c.call('GET', '/_sandbox/state')).body.faults).toHaveLength(1);
      const a = await c.call('PUT', '/api/ovoc/v1/topology/customers/85844');
      expect(a.status).toBe(429);
      expect(a.headers.get('retry-after')).toBe('7');
      expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/85844')).status).toBe(200);
    });

    it('503: without Retry-After by default, with it when given (seconds or HTTP-date)', async ({ c }) => {
      const tasks = async () => (await c.call('GET', '/_sandbox/state')).body.tasks.length;
      const before = await tasks();
      await c.call('POST', '/_sandbox/faults', { json: { fault: '503' } });
      const plain = await c.call('POST', '/api/v3/customer', { json: lead(NEW_TENANT) });
      expect(plain.status).toBe(503);
      expect(plain.headers.get('retry-after')).toBeNull();
      const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
      await c.call('POST', '/_sandbox/faults', { json: { fault: '503', retryAfter: date } });
      const dated = await c.call('GET', '/api/v2/task/tsk_185510');
      expect(dated.status).toBe(503);
      expect(dated.headers.get('retry-after')).toBe(date);
      // A faulted POST created nothing.
      expect(await tasks()).toBe(before);
    });

    it('delay: holds the request for delayMs, then answers it normally', async ({ c }) => {
      await c.call('POST', '/_sandbox/faults', {
        json: { fault: 'delay', delayMs: 200, operationId: 'getTask' },
      });
      const t = performance.now();
      const a = await c.call('GET', '/api/v2/task/tsk_185510');
      expect(performance.now() - t).toBeGreaterThanOrEqual(190);
      expect(a.status).toBe(200);
      expect(a.body.id).toBe('tsk_185510');
    });

    it('faults queue in order, each request taking at most one', async ({ c }) => {
      await c.call('POST', '/_sandbox/faults', { json: { fault: '503' } });
      await c.call('POST', '/_sandbox/faults', { json: { fault: '429', retryAfter: 2 } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await c.call('GET', '/api/v2/task/tsk_185510')).status);
      expect(statuses).toEqual([503, 429, 200]);
    });

    it('refuses a wrong fault body with 400 and a message per field', async ({ c }) => {
      const cases: [unknown, string[]][] = [
        [{}, ['fault']],
        [{ fault: 429 }, ['fault']],
        [{ fault: '500' }, ['fault']],
        [{ fault: '429', count: 0 }, ['count']],
        [{ fault: '429', count: '2' }, ['count']],
        [{ fault: '429', count: 1.5 }, ['count']],
        [{ fault: '429', operationId: 'deleteEverything' }, ['operationId']],
        [{ fault: '429', retryAfter: 'soon' }, ['retryAfter']],
        [{ fault: '429', retryAfter: -1 }, ['retryAfter']],
        [{ fault: 'delay' }, ['delayMs']],
        [{ fault: 'delay', delayMs: -5 }, ['delayMs']],
        [{ fault: 'delay', delayMs: 10, retryAfter: '1' }, ['retryAfter']],
        [{ fault: '503', delayMs: 10 }, ['delayMs']],
        [{ fault: '429', times: 2 }, ['times']],
        ['429', ['$']],
      ];
      for (const [json, fields] of cases) {
        const a = await c.call('POST', '/_sandbox/faults', { json });
        expect(a.status, JSON.stringify(json)).toBe(400);
        expect(Object.keys(a.body.errors).sort(), JSON.stringify(json)).toEqual(fields);
        expect(a.body.errors[fields[0]!][0].length).toBeGreaterThan(10);
      }
      expect((await c.call('GET', '/_sandbox/state')).body.faults).toEqual([]);
    });

    it('a request refused for its token does not use up a fault', async ({ c }) => {
      await c.call('POST', '/_sandbox/faults', { json: { fault: '429' } });
      expect((await c.call('GET', '/api/v2/task/tsk_185510', { token: 'wrong' })).status).toBe(401);
      expect((await c.call('GET', '/api/v2/task/tsk_185510')).status).toBe(429);
    });
  });
});

describe('src/sandbox/seed.ts: seeds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ovoc = {
    ...specExample<Record<string, unknown>>('OvocCustomerBrad984'),
    id: 4242,
    name: 'Seeded',
    url: '/ovoc/v1/topology/lcCustomers/4242',
  };
  const seed: SandboxSeed = {
    leads: [{ msTenantId: NEW_TENANT }],
    sbcs: [{ id: 9, onboardingScripts: [1], cleanupScripts: [2] }],
    ovocCustomers: [ovoc as unknown as OvocCustomer],
    customers: [
      {
        id: '5a0c3b8e-9a55-4c0e-9d7e-1b2c3d4e5f60',
        shortName: 'Seeded',
        msTenantId: NEW_TENANT,
        ovocCustomerId: 4242,
      },
    ],
    tasks: [{ ...specExample<Task>('TaskConverted'), id: 'wst_seeded' }],
  };

  test('extends the fixtures with a seed object, and reset returns to fixtures plus seed', async ({
    startSandbox,
  }) => {
    const sandbox = await startSandbox({ seed });
    const c = conformance(sandbox.url, sandbox.token);
    expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/4242')).body).toEqual(ovoc);
    expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/85844')).status).toBe(200);
    expect((await c.call('GET', '/api/v2/task/wst_seeded')).body.details).toEqual(['Converted']);
    const created = await c.call('POST', '/api/v2/customer', {
      json: {
        shortName: 'OnSbc9',
        siteLocation: { sbcId: 9, sbcOnboardingScript: 1, sbcCleanupScript: 2 },
        ovocCustomerType: 'TENANT_TYPE',
      },
    });
    expect(created.status).toBe(200);
    // New OVOC ids never collide with seeded ones.
    const state = (await c.call('GET', '/_sandbox/state')).body;
    expect(state.customers.find((x: any) => x.id === created.body.id).ovocCustomerId).toBe(85845);
    await c.call('POST', '/_sandbox/reset');
    expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/4242')).status).toBe(200);
    const imp = await c.call('POST', `/api/v2/customer/${seed.customers![0]!.id}/action/ovocimport`, {
      json: { customerType: 'TENANT_TYPE' },
    });
    expect(imp.status).toBe(200);
    expectConformance(c, 7);
  });

  test('replaces the fixtures with replace: true, read from a JSON file', async ({ startSandbox }) => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ ...seed, replace: true }));
    const sandbox = await startSandbox({ seed: file });
    const c = conformance(sandbox.url, sandbox.token);
    expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/85844')).status).toBe(404);
    expect((await c.call('GET', '/api/v2/task/tsk_185510')).status).toBe(404);
    expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/4242')).status).toBe(200);
    expectConformance(c, 3);
  });

  test('rejects a bad seed with a message that names the problem', async () => {
    const bad: [unknown, RegExp][] = [
      [join(dir, 'missing.json'), /cannot read .*ENOENT/],
      [{ leads: [{ msTenantId: 'x' }] }, /leads\[0\]\.msTenantId must be a uuid/],
      [{ lead: [] }, /unknown key "lead"/],
      [{ ovocCustomers: [{ id: 1 }] }, /ovocCustomers\[0\] is not an OVOC customer/],
      [{ tasks: [{ id: 'tsk_1', status: 'Done' }] }, /tasks\[0\] is not a Task/],
      [
        { customers: [{ id: '5a0c3b8e-9a55-4c0e-9d7e-1b2c3d4e5f60', shortName: 'X', ovocCustomerId: 7 }] },
        /OVOC customer 7/,
      ],
      [[], /must be a JSON object/],
    ];
    for (const [s, message] of bad) {
      await expect(startSandbox({ seed: s as never })).rejects.toThrow(message);
    }
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ nope');
    await expect(startSandbox({ seed: file })).rejects.toBeInstanceOf(SeedError);
  });
});

describe('src/sandbox/index.ts: startSandbox options', () => {
  test('rejects options it cannot use, saying what to pass instead', async () => {
    await expect(startSandbox({ port: -1 })).rejects.toThrow(/port must be a whole number/);
    await expect(startSandbox({ port: 1.5 })).rejects.toThrow(/port/);
    await expect(startSandbox({ taskDurationMs: -1 })).rejects.toThrow(/taskDurationMs/);
    await expect(startSandbox({ taskDurationMs: Number.NaN })).rejects.toThrow(/taskDurationMs/);
    await expect(startSandbox({ tokens: [] })).rejects.toThrow(/non-empty array/);
    await expect(startSandbox({ tokens: ['has space'] })).rejects.toThrow(/visible ASCII/);
    await expect(startSandbox({ clock: {} as never })).rejects.toThrow(
      /clock must be an object with a now\(\)/,
    );
  });

  test('resolves to url and tokens, and close() is idempotent and frees the port', async () => {
    const sandbox = await startSandbox();
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.tokens).toEqual([DEFAULT_SANDBOX_TOKEN]);
    const port = Number(new URL(sandbox.url).port);
    await Promise.all([sandbox.close(), sandbox.close()]);
    const again = await startSandbox({ port });
    expect(again.url).toBe(sandbox.url);
    await again.close();
  });

  test('close() lets a delayed request finish, and cuts a long delay short at drainTimeoutMs', async () => {
    const sandbox = await startSandbox({ limits: { drainTimeoutMs: 1_000 } });
    const c = conformance(sandbox.url, DEFAULT_SANDBOX_TOKEN);
    await c.call('POST', '/_sandbox/faults', { json: { fault: 'delay', delayMs: 60_000 } });
    const pending = fetch(`${sandbox.url}/api/v2/task/tsk_185510`, {
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
    });
    // The request is in its delay once it has taken the fault (on a loaded machine, not at once).
    await expect
      .poll(async () => (await c.call('GET', '/_sandbox/state')).body.counts.faults, { timeout: 20_000 })
      .toBe(0);
    // close() waits out the drain, then ends the 60 s delay: had it waited for the delay, the test
    // would time out long before.
    const t = performance.now();
    await sandbox.close();
    expect(performance.now() - t).toBeGreaterThanOrEqual(950);
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    expect((await answer.json()).id).toBe('tsk_185510');
  });

  test('uses the default task duration of 2000 ms', async ({ serve }) => {
    const clock = new ManualClock();
    const sandbox = await serve(startSandbox({ clock }));
    const c = conformance(sandbox.url, DEFAULT_SANDBOX_TOKEN);
    const a = await c.call('POST', '/api/v3/customer', {
      json: specExample('CreateCustomerFromLeadRequest'),
    });
    const state = (await c.call('GET', '/_sandbox/state')).body;
    const task = state.tasks.find((t: any) => t.id === a.body.taskId);
    expect(Date.parse(task.completesAt) - clock.now()).toBe(2000);
    expectConformance(c, 2);
  });
});
