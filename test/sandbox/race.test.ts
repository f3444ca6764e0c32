import { describe, expect } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { sandboxTest } from '../support/fixtures.js';
import { finishTask } from './conformance.js';

// One sandbox for the file; at its end the fixture checks that 400 answers or more all conformed.
const it = sandboxTest({}, { atLeast: 400 });

describe('src/sandbox: concurrent requests change state atomically', () => {
  it('100 concurrent conversions of one lead: exactly one Converted, 99 CustomerAlreadyConverted', async ({
    sandbox,
    c,
  }) => {
    await c.call('POST', '/_sandbox/reset');
    const request = specExample<object>('CreateCustomerFromLeadRequest');
    const started = await Promise.all(
      Array.from({ length: 100 }, () => c.call('POST', '/api/v3/customer', { json: request })),
    );
    expect(started.map((a) => a.status)).toEqual(Array(100).fill(200));
    const ids = started.map((a) => a.body.taskId as string);
    expect(new Set(ids).size).toBe(100);
    const done = await Promise.all(ids.map((id) => finishTask(c, sandbox, id)));
    const details = done.map((a) => a.body.details[0]);
    expect(details.filter((d) => d === 'Converted')).toHaveLength(1);
    expect(details.filter((d) => d === 'CustomerAlreadyConverted')).toHaveLength(99);
    const { body } = await c.call('GET', '/_sandbox/state');
    expect(body.customers.filter((x: any) => x.source === 'lead')).toHaveLength(1);
  });

  it('100 concurrent Essentials creations with distinct names all exist afterwards', async ({ c }) => {
    await c.call('POST', '/_sandbox/reset');
    const base = specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        c.call('POST', '/api/v2/customer', { json: { ...base, shortName: `Race_${i}` } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    const guids = answers.map((a) => a.body.id as string);
    expect(new Set(guids).size).toBe(100);
    const { body } = await c.call('GET', '/_sandbox/state');
    const names = new Set(body.customers.map((x: any) => x.shortName));
    for (let i = 0; i < 100; i++) expect(names.has(`Race_${i}`)).toBe(true);
    const ovocIds = body.customers
      .filter((x: any) => x.source === 'essentials')
      .map((x: any) => x.ovocCustomerId);
    expect(new Set(ovocIds).size).toBe(100);
    // Each one is importable.
    const imports = await Promise.all(
      guids.map((g) =>
        c.call('POST', `/api/v2/customer/${g}/action/ovocimport`, { json: { customerType: 'IPGROUP_TYPE' } }),
      ),
    );
    expect(new Set(imports.map((a) => a.body)).size).toBe(100);
  });

  it('100 concurrent creations of one name: exactly one 200, the rest 409', async ({ c }) => {
    await c.call('POST', '/_sandbox/reset');
    const body = {
      ...specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest'),
      shortName: 'Same_1',
    };
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => c.call('POST', '/api/v2/customer', { json: body })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  });
});
