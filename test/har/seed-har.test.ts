// A session recorded through the proxy seeds a fresh sandbox: the tasks, customers, OVOC
// customers and leads the recording shows are there from the start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { HarRecorder } from '../../src/har/record.js';
import { startProxy } from '../../src/proxy/index.js';
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from '../../src/sandbox/index.js';
import { loadRecordingSeed, SeedError } from '../../src/sandbox/seed.js';
import type { Task } from '../../src/types.js';

const TENANT = '6a3c9b1e-2f4d-4e5a-9b7c-8d1e2f3a4b5c';
const auth = { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}`, 'content-type': 'application/json' };
let dir: string;
let harPath: string;
let recorded: { task: Task; customerGuid: string; essentialsId: string; essentialsName: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lp-har-seed-'));
  harPath = join(dir, 'session.har');
  const tenant = await startSandbox({ port: 0, taskDurationMs: 0 });
  const recorder = new HarRecorder({ creator: { name: 'test', version: '0' }, redact: (t) => t });
  const proxy = await startProxy({ upstream: tenant.url, onExchange: recorder.observe });
  try {
    // The lead exists on the tenant before the session, as it would on a real one.
    await fetch(`${tenant.url}/_sandbox/leads`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ msTenantId: TENANT }),
    });
    const lead = {
      ...specExample<Record<string, unknown>>('CreateCustomerFromLeadRequest'),
      msTenantId: TENANT,
    };
    const started = (await (
      await fetch(`${proxy.url}/api/v3/customer`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(lead),
      })
    ).json()) as { taskId: string };
    const task = (await (
      await fetch(`${proxy.url}/api/v2/task/${started.taskId}`, { headers: auth })
    ).json()) as Task;
    const essentialsRequest = {
      ...specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest'),
      shortName: 'HarSeed01',
      msTenantId: undefined,
    };
    const essentials = (await (
      await fetch(`${proxy.url}/api/v2/customer`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(essentialsRequest),
      })
    ).json()) as { id: string };
    await (
      await fetch(`${proxy.url}/api/ovoc/v1/topology/customers/85844`, { method: 'PUT', headers: auth })
    ).text();
    recorded = {
      task,
      customerGuid: (task.outputData as { umpCustomerGuid: string }).umpCustomerGuid,
      essentialsId: essentials.id,
      essentialsName: essentialsRequest.shortName,
    };
    writeFileSync(harPath, JSON.stringify(recorder.toHar()));
  } finally {
    await proxy.close();
    await tenant.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox --seed-har', () => {
  it('starts with what the recording showed', async () => {
    expect(recorded.task.status).toBe('CompletedSuccess');
    const seed = loadRecordingSeed(harPath);
    expect(seed.tasks?.map((t) => t.id)).toEqual([recorded.task.id]);
    expect(seed.leads).toEqual([{ msTenantId: TENANT, converted: true }]);
    expect(seed.ovocCustomers?.map((o) => o.id)).toEqual([85844]);
    const sandbox = await startSandbox({ port: 0, seed });
    try {
      const again = await (
        await fetch(`${sandbox.url}/api/v2/task/${recorded.task.id}`, { headers: auth })
      ).json();
      expect(again).toEqual(recorded.task);
      const state = (await (await fetch(`${sandbox.url}/_sandbox/state`, { headers: auth })).json()) as {
        customers: { id: string; shortName: string }[];
      };
      const ids = state.customers.map((c) => c.id);
      expect(ids).toContain(recorded.customerGuid);
      expect(state.customers.find((c) => c.id === recorded.essentialsId)?.shortName).toBe(
        recorded.essentialsName,
      );
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a file that is not a recording with a SeedError', () => {
    const path = join(dir, 'seed.json');
    writeFileSync(path, '{"tasks": []}');
    expect(() => loadRecordingSeed(path)).toThrow(SeedError);
    expect(() => loadRecordingSeed(path)).toThrow(/not a HAR/);
  });
});
