import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import {
  DEFAULT_LIMITS,
  SeedError,
  startSandbox,
  type SandboxLimits,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import { defaultMaxConnections } from '../../src/sandbox/limits.js';
import type { OvocCustomer, Task } from '../../src/types.js';
import { test, type TestSandbox } from '../support/fixtures.js';
import { conformance, expectConformance, finishTask, type Conformance } from './conformance.js';

const essentials = specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest');
const leadRequest = specExample<Record<string, unknown>>('CreateCustomerFromLeadRequest');
const tenant = (i: number) => `0b5f2a3c-1d2e-4f50-8a6b-${String(i).padStart(12, '0')}`;

/**
 * `small(limits)`: a sandbox with small caps on the test's clock, and a conformance-checking caller
 * of it; the fixture closes the sandbox and checks every answer the caller got.
 */
const it = test.extend<{
  small: (
    limits: Partial<SandboxLimits>,
    options?: Omit<SandboxOptions, 'limits'>,
  ) => Promise<{ c: Conformance; sandbox: TestSandbox }>;
}>({
  small: async ({ startSandbox }, use) => {
    const callers: Conformance[] = [];
    await use(async (limits, options = {}) => {
      const sandbox = await startSandbox({ ...options, limits });
      const c = conformance(sandbox.url, sandbox.token, { expected5xx: [] });
      callers.push(c);
      return { c, sandbox };
    });
    for (const c of callers) expectConformance(c);
  },
});

/** The 403 of a cap: names the cap, the flag and the reset. */
function expectCap(a: { status: number; body: any }, flag: string) {
  expect(a.status).toBe(403);
  expect(a.body.detail).toContain(flag);
  expect(a.body.detail).toContain('POST /_sandbox/reset');
}

describe('src/sandbox/limits.ts: bounded state', () => {
  it('has documented defaults that fit a laptop', () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      maxTasks: 50_000,
      maxCustomers: 50_000,
      maxLeads: 50_000,
      maxFaults: 1_000,
      maxVariableBytes: 64 * 1024 * 1024,
    });
  });

  it('at maxTasks forgets the oldest finished run-time task, never a fixture', async ({ small }) => {
    const { c, sandbox } = await small({ maxTasks: 10 });
    // The 7 fixture tasks plus 3 imports fill it.
    const guid = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
    const imp = () =>
      c.call('POST', `/api/v2/customer/${guid}/action/ovocimport`, {
        json: { customerType: 'IPGROUP_TYPE' },
      });
    const first = (await imp()).body as string;
    await imp();
    await imp();
    expect((await c.call('GET', '/_sandbox/state')).body.counts.tasks).toBe(10);
    // Every task InProgress: no room yet (the 429 test below); once they finish, the oldest goes.
    sandbox.finishTasks();
    const fourth = await imp();
    expect(fourth.status).toBe(200);
    const state = (await c.call('GET', '/_sandbox/state')).body;
    expect(state.counts.tasks).toBe(10);
    expect(state.tasks.map((t: any) => t.id)).not.toContain(first);
    expect((await c.call('GET', `/api/v2/task/${first}`)).status).toBe(404);
    expect((await c.call('GET', '/api/v2/task/tsk_185510')).status).toBe(200);
  });

  it('at maxTasks finds the finished run-time task behind a thousand seeded ones', async ({ small }) => {
    // Seeded tasks come first in the state and stay: eviction must look past them, however many.
    const done = specExample<Task>('TaskImportCompleted');
    const tasks = Array.from({ length: 1_000 }, (_, i) => ({ ...done, id: `tsk_${9_000_000 + i}` }));
    const { c, sandbox } = await small({ maxTasks: 1_008 }, { seed: { tasks } });
    const guid = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
    const imp = () =>
      c.call('POST', `/api/v2/customer/${guid}/action/ovocimport`, {
        json: { customerType: 'IPGROUP_TYPE' },
      });
    const first = (await imp()).body as string;
    expect((await c.call('GET', '/_sandbox/state?limit=1')).body.counts.tasks).toBe(1_008);
    sandbox.finishTasks();
    const second = await imp();
    expect(second.status).toBe(200);
    expect((await c.call('GET', `/api/v2/task/${first}`)).status).toBe(404);
    expect((await c.call('GET', '/api/v2/task/tsk_9000000')).status).toBe(200);
  });

  it('at maxTasks with every task still InProgress answers 429 with Retry-After, creating nothing', async ({
    small,
  }) => {
    const { c } = await small({ maxTasks: 8 }, { taskDurationMs: 60_000 });
    expect((await c.call('POST', '/api/v3/customer', { json: leadRequest })).status).toBe(200);
    const full = await c.call('POST', '/api/v3/customer', {
      json: { ...leadRequest, msTenantId: tenant(1) },
    });
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('60');
    expect(full.body.detail).toContain('--max-tasks');
    const state = (await c.call('GET', '/_sandbox/state')).body;
    expect(state.counts.tasks).toBe(8);
  });

  it('at maxCustomers refuses Essentials creation and lead conversion with a 403 that says what to do', async ({
    small,
  }) => {
    const { c, sandbox } = await small({ maxCustomers: 2 });
    expect(
      (await c.call('POST', '/api/v2/customer', { json: { ...essentials, shortName: 'One' } })).status,
    ).toBe(200);
    expectCap(
      await c.call('POST', '/api/v2/customer', { json: { ...essentials, shortName: 'Two' } }),
      '--max-customers',
    );
    expectCap(await c.call('POST', '/api/v3/customer', { json: leadRequest }), '--max-customers');
    // The refused conversion left the lead unconverted; after a reset it converts.
    await c.call('POST', '/_sandbox/reset');
    const again = await c.call('POST', '/api/v3/customer', { json: leadRequest });
    expect((await finishTask(c, sandbox, again.body.taskId)).body.details).toEqual(['Converted']);
  });

  it('at maxLeads refuses a new lead with 403 but renews an existing one', async ({ small }) => {
    const { c } = await small({ maxLeads: 2 });
    expect((await c.call('POST', '/_sandbox/leads', { json: { msTenantId: tenant(1) } })).status).toBe(201);
    expectCap(await c.call('POST', '/_sandbox/leads', { json: { msTenantId: tenant(2) } }), '--max-leads');
    expect((await c.call('POST', '/_sandbox/leads', { json: { msTenantId: tenant(1) } })).status).toBe(201);
  });

  it('at maxFaults refuses another fault with 403; the queue empties as requests take them', async ({
    small,
  }) => {
    const { c } = await small({ maxFaults: 2 });
    for (let i = 0; i < 2; i++)
      expect(
        (await c.call('POST', '/_sandbox/faults', { json: { fault: 'delay', delayMs: 0 } })).status,
      ).toBe(201);
    expectCap(
      await c.call('POST', '/_sandbox/faults', { json: { fault: 'delay', delayMs: 0 } }),
      '--max-faults',
    );
    await c.call('GET', '/api/v2/task/tsk_185510');
    expect((await c.call('POST', '/_sandbox/faults', { json: { fault: 'delay', delayMs: 0 } })).status).toBe(
      201,
    );
  });

  it('at maxVariableBytes refuses the customer whose variables would pass it', async ({ small }) => {
    const { c } = await small({ maxVariableBytes: 10_000 });
    const big = 'x'.repeat(6_000);
    expect(
      (await c.call('POST', '/api/v2/customer', { json: { ...essentials, shortName: 'VarsA', Var: big } }))
        .status,
    ).toBe(200);
    const refused = await c.call('POST', '/api/v2/customer', {
      json: { ...essentials, shortName: 'VarsB', Var: big },
    });
    expectCap(refused, '--max-variable-bytes');
    // Without variables a customer still fits.
    expect(
      (await c.call('POST', '/api/v2/customer', { json: { ...essentials, shortName: 'VarsC' } })).status,
    ).toBe(200);
    const state = (await c.call('GET', '/_sandbox/state')).body;
    expect(state.counts.variableBytes).toBe(6_003);
    const a = state.customers.find((x: any) => x.shortName === 'VarsA');
    expect(a.variableBytes).toBe(6_003);
    // The state shows a shortened value, so it stays small however large the variables are.
    expect(a.variables.Var).toBe(`${'x'.repeat(200)}...`);
  });

  it('keeps the default connection cap below the open-file limit', () => {
    expect(defaultMaxConnections(20_000)).toBe(900);
    expect(defaultMaxConnections(1024)).toBe(900);
    expect(defaultMaxConnections(512)).toBe(412);
    expect(defaultMaxConnections(50)).toBe(16);
    expect(defaultMaxConnections(undefined)).toBe(900);
  });

  it('rejects limits it cannot use', async () => {
    await expect(startSandbox({ limits: { maxTasks: 0 } })).rejects.toThrow(
      /maxTasks must be a whole number/,
    );
    await expect(startSandbox({ limits: { maxTask: 5 } as never })).rejects.toThrow(
      /unknown limit "maxTask"/,
    );
    await expect(startSandbox({ limits: { headersTimeoutMs: 20_000 } })).rejects.toThrow(/headersTimeoutMs/);
    // Past 2^31-1 ms Node's timers fire after 1 ms: a 2^32 ms drain would end at once.
    await expect(startSandbox({ limits: { drainTimeoutMs: 2 ** 32 } })).rejects.toThrow(
      /drainTimeoutMs must be at most 2147483647/,
    );
    await expect(startSandbox({ limits: { keepAliveTimeoutMs: 2 ** 31 } })).rejects.toThrow(
      /keepAliveTimeoutMs must be at most 2147483647/,
    );
  });
});

describe('src/sandbox/control.ts: GET /_sandbox/state is paged', () => {
  it('gives counts, limits and a page of each list; ?offset&limit walk it; bad paging is a 400', async ({
    small,
  }) => {
    const { c } = await small({});
    for (let i = 0; i < 5; i++) await c.call('POST', '/_sandbox/leads', { json: { msTenantId: tenant(i) } });
    const all = (await c.call('GET', '/_sandbox/state')).body;
    expect(all.counts).toMatchObject({
      leads: 6,
      sbcs: 1,
      customers: 1,
      ovocCustomers: 1,
      tasks: 7,
      faults: 0,
    });
    expect(all.limits.maxTasks).toBe(DEFAULT_LIMITS.maxTasks);
    expect(all.page).toEqual({ offset: 0, limit: 1000, next: null });
    const first = (await c.call('GET', '/_sandbox/state?limit=4')).body;
    expect(first.leads).toHaveLength(4);
    expect(first.tasks).toHaveLength(4);
    expect(first.page.next).toBe(4);
    const second = (await c.call('GET', '/_sandbox/state?limit=4&offset=4')).body;
    expect(second.leads.map((l: any) => l.msTenantId)).toEqual(
      all.leads.slice(4).map((l: any) => l.msTenantId),
    );
    expect(second.tasks).toHaveLength(3);
    expect(second.page.next).toBeNull();
    for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'limit=abc']) {
      const a = await c.call('GET', `/_sandbox/state?${q}`);
      expect(a.status, q).toBe(400);
    }
  });

  // How fast it answers is the bench's to measure (scripts/bench/moved.mjs); here, what it answers.
  it('answers a page of 1,000 with 2,000 tasks held', async ({ small }) => {
    const { c, sandbox } = await small({});
    // Fill through the public API in parallel batches.
    const guid = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
    for (let i = 0; i < 40; i++) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${sandbox.url}/api/v2/customer/${guid}/action/ovocimport`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${sandbox.token}`,
              'content-type': 'application/json',
            },
            body: '{"customerType":"IPGROUP_TYPE"}',
          }).then((r) => r.text()),
        ),
      );
    }
    const a = await c.call('GET', '/_sandbox/state');
    expect(a.body.counts.tasks).toBe(2_007);
    expect(a.body.tasks).toHaveLength(1000);
    expect(a.body.page).toEqual({ offset: 0, limit: 1000, next: 1000 });
  });
});

describe('src/sandbox/seed.ts: seeds that a long-running sandbox meets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lead = { msTenantId: tenant(42) };

  it('accepts a UTF-8 byte order mark', async ({ small }) => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ leads: [lead] })}`);
    const { c } = await small({}, { seed: file });
    expect((await c.call('GET', '/_sandbox/state')).body.leads).toContainEqual(
      expect.objectContaining({ msTenantId: tenant(42) }),
    );
  });

  it('refuses a seed file over 16 MiB, /dev/zero included (read to the limit, not to the end)', async () => {
    // /dev/zero has no end: refusing it at all shows the read stops at the limit.
    await expect(startSandbox({ seed: '/dev/zero' })).rejects.toThrow(/larger than 16 MiB/);
    const file = join(dir, 'big.json');
    writeFileSync(file, `{"leads": [], "x": "${'a'.repeat(17 * 1024 * 1024)}"}`);
    await expect(startSandbox({ seed: file })).rejects.toBeInstanceOf(SeedError);
  });

  it('refuses a value nested 5,000 deep with a seed error naming the entry', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const file = join(dir, 'deep.json');
    writeFileSync(
      file,
      `{"tasks": [${JSON.stringify(specExample('TaskImportCompleted'))}, {"id": "tsk_1", "outputData": ${deep}}]}`,
    );
    await expect(startSandbox({ seed: file })).rejects.toThrow(/tasks\[1\] is nested deeper than 64 levels/);
    const cyclic: any = { msTenantId: tenant(1) };
    cyclic.self = cyclic;
    await expect(startSandbox({ seed: { leads: [cyclic] } })).rejects.toThrow(/leads\[0\] is nested deeper/);
  });

  it('accepts a seed object that uses one value twice (shared, not cyclic)', async ({ small }) => {
    const message = { level: 'Information', message: 'Imported.' } as const;
    const task = {
      ...specExample<Task>('TaskImportCompleted'),
      id: 'tsk_1',
      executionMessages: [message, message],
    };
    const { c } = await small({}, { seed: { tasks: [task] } });
    const res = await c.call('GET', '/api/v2/task/tsk_1');
    expect(res.status).toBe(200);
    expect(res.body.executionMessages).toEqual([message, message]);
  });

  it('counts ids on past seeded ones, and never collides with a seeded OVOC id of 2^53-1', async ({
    small,
  }) => {
    const ovoc = { ...specExample<OvocCustomer>('OvocCustomerBrad984'), id: Number.MAX_SAFE_INTEGER };
    const near = { ...specExample<OvocCustomer>('OvocCustomerBrad984'), id: 85845 };
    const task = { ...specExample<any>('TaskImportCompleted'), id: 'tsk_185511' };
    const { c } = await small({}, { seed: { ovocCustomers: [ovoc, near], tasks: [task] } });
    const ids = new Set<number>([85844, 85845, Number.MAX_SAFE_INTEGER]);
    for (let i = 0; i < 3; i++) {
      const created = await c.call('POST', '/api/v2/customer', {
        json: { ...essentials, shortName: `Next${i}` },
      });
      expect(created.status).toBe(200);
    }
    const state = (await c.call('GET', '/_sandbox/state')).body;
    for (const o of state.ovocCustomers) ids.add(o.id);
    expect(ids.size).toBe(6);
    expect(state.counts.ovocCustomers).toBe(6);
    for (const o of state.ovocCustomers) expect(Number.isSafeInteger(o.id)).toBe(true);
    const imp = await c.call(
      'POST',
      '/api/v2/customer/182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport',
      {
        json: { customerType: 'IPGROUP_TYPE' },
      },
    );
    expect(imp.body).toBe('tsk_185512');
  });
});
