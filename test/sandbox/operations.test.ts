import { existsSync, readdirSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { operations, specExample } from '../../src/contract/index.js';
import { handlers } from '../../src/sandbox/operations/index.js';
import { sandboxTest } from '../support/fixtures.js';
import { finishTask } from './conformance.js';

const LEAD_TENANT = 'f79a7f93-5ef7-47d2-92c8-e4570503cec3';
const BRAD_GUID = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
const DURATION = 120;

const leadRequest = (over: Record<string, unknown> = {}) => ({
  ...specExample<object>('CreateCustomerFromLeadRequest'),
  ...over,
});
const essentials = (over: Record<string, unknown> = {}) => ({
  ...specExample<object>('CreateEssentialsCustomerRequest'),
  ...over,
});
const withoutId = (task: Record<string, unknown>) => ({ ...task, id: undefined });

// One sandbox for the file, reset before each test; at its end the fixture checks that 40 answers
// or more all conformed. Its tasks finish when a test moves the clock (finishTask).
const it = sandboxTest({ taskDurationMs: DURATION }, { atLeast: 40 });

describe('src/sandbox: the five operations', () => {
  it.beforeEach(async ({ c }) => {
    expect((await c.call('POST', '/_sandbox/reset')).body).toEqual({ reset: true });
  });

  describe('fixtures', () => {
    it('serves OVOC customer 85844 exactly as the vendor example', async ({ c }) => {
      const a = await c.call('PUT', '/api/ovoc/v1/topology/customers/85844');
      expect(a.status).toBe(200);
      expect(a.body).toEqual(specExample('OvocCustomerBrad984'));
    });

    it('has the completed import task tsk_185510 of the vendor example', async ({ c }) => {
      const a = await c.call('GET', '/api/v2/task/tsk_185510');
      expect(a.body).toEqual(specExample('TaskImportCompleted'));
    });

    it('serves every vendor task example by its id, and keeps the in-progress one InProgress', async ({
      c,
    }) => {
      for (const name of [
        'TaskConverted',
        'TaskFailedShortNameLength',
        'TaskValidationFailedNoLead',
        'TaskInProgress',
      ]) {
        const example = specExample<{ id: string }>(name);
        expect((await c.call('GET', `/api/v2/task/${example.id}`)).body).toEqual(example);
      }
    });

    it('lists the lead, SBC 5 with scripts 7 and 700, and customer BradSB1E1 in the state', async ({ c }) => {
      const { body } = await c.call('GET', '/_sandbox/state');
      expect(body.leads).toContainEqual(
        expect.objectContaining({ msTenantId: LEAD_TENANT, active: true, converted: false }),
      );
      expect(body.sbcs).toEqual([{ id: 5, onboardingScripts: [7], cleanupScripts: [700] }]);
      expect(body.customers).toContainEqual(
        expect.objectContaining({
          id: BRAD_GUID,
          shortName: 'BradSB1E1',
          msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
        }),
      );
    });
  });

  describe('createCustomerFromLead (v3)', () => {
    it('answers a wst_ task that is InProgress, then Converted with the vendor messages', async ({
      c,
      sandbox,
    }) => {
      const a = await c.call('POST', '/api/v3/customer', { json: leadRequest() });
      expect(a.status).toBe(200);
      expect(a.body.taskId).toMatch(/^wst_[0-9a-f-]{36}$/);
      const first = await c.call('GET', `/api/v2/task/${a.body.taskId}`);
      expect(first.body).toEqual({ ...specExample<object>('TaskInProgress'), id: a.body.taskId });

      const done = await finishTask(c, sandbox, a.body.taskId);
      const guid = done.body.outputData.umpCustomerGuid;
      expect(guid).toMatch(/^[0-9a-f-]{36}$/);
      expect(guid).not.toBe(specExample<any>('TaskConverted').outputData.umpCustomerGuid);
      expect(done.body).toEqual({
        ...specExample<object>('TaskConverted'),
        id: a.body.taskId,
        outputData: { umpCustomerGuid: guid },
      });

      // The customer exists for the other operations: import finds it, and OVOC got a new id.
      const imp = await c.call('POST', `/api/v2/customer/${guid}/action/ovocimport`, {
        json: { customerType: 'IPGROUP_TYPE' },
      });
      expect(imp.status).toBe(200);
      const { body } = await c.call('GET', '/_sandbox/state');
      const customer = body.customers.find((x: any) => x.id === guid);
      expect(customer).toMatchObject({ shortName: 'SIPTest4', msTenantId: LEAD_TENANT, source: 'lead' });
      const ovoc = await c.call('PUT', `/api/ovoc/v1/topology/customers/${customer.ovocCustomerId}`);
      expect(ovoc.status).toBe(200);
      expect(ovoc.body).toMatchObject({ name: 'SIPTest4', msTenantId: LEAD_TENANT });
      expect(ovoc.body.id).not.toBe(85844);
    });

    it('ends a second conversion of the same lead in CustomerAlreadyConverted, creating nothing', async ({
      c,
      sandbox,
    }) => {
      await c.call('POST', '/api/v3/customer', { json: leadRequest() });
      const before = (await c.call('GET', '/_sandbox/state')).body.customers.length;
      const a = await c.call('POST', '/api/v3/customer', {
        json: leadRequest({ customerShortName: 'Other1' }),
      });
      const done = await finishTask(c, sandbox, a.body.taskId);
      expect(done.body).toEqual({
        ...specExample<object>('TaskCustomerAlreadyConverted'),
        id: a.body.taskId,
      });
      expect((await c.call('GET', '/_sandbox/state')).body.customers.length).toBe(before);
    });

    it('fails a 16-character short name with the exact vendor message (the request itself is accepted)', async ({
      c,
      sandbox,
    }) => {
      const a = await c.call('POST', '/api/v3/customer', {
        json: specExample('CreateCustomerFromLeadShortNameTooLong'),
      });
      expect(a.status).toBe(200);
      expect(a.body.taskId).toMatch(/^wst_/);
      const done = await finishTask(c, sandbox, a.body.taskId);
      expect(withoutId(done.body)).toEqual(withoutId(specExample('TaskFailedShortNameLength')));
    });

    it('fails invalid characters with one message per broken rule, as the vendor shows', async ({
      c,
      sandbox,
    }) => {
      const a = await c.call('POST', '/api/v3/customer', {
        json: specExample('CreateCustomerFromLeadInvalidCharacters'),
      });
      const done = await finishTask(c, sandbox, a.body.taskId);
      expect(withoutId(done.body)).toEqual(withoutId(specExample('TaskFailedInvalidCharacters')));
    });

    it('reports every broken rule at once: length and characters of the short name and the full name', async ({
      c,
      sandbox,
    }) => {
      const a = await c.call('POST', '/api/v3/customer', {
        json: leadRequest({ customerShortName: 'a.', customerFullName: 'A&B' }),
      });
      const done = await finishTask(c, sandbox, a.body.taskId);
      expect(done.body.status).toBe('CompletedFailed');
      expect(done.body.executionMessages.map((m: any) => m.message)).toEqual([
        "'Customer Short Name' must be between 3 and 15 characters.",
        "Customer Short Name contains invalid characters. Allowed characters: letters, numbers and '_'.",
        "Customer Full Name contains invalid characters. Allowed characters: letters, numbers, _, ' and space.",
      ]);
    });

    it('does not consume the lead when the names fail', async ({ c, sandbox }) => {
      const bad = await c.call('POST', '/api/v3/customer', { json: leadRequest({ customerShortName: 'x' }) });
      expect((await finishTask(c, sandbox, bad.body.taskId)).body.details).toEqual(['Failed']);
      const good = await c.call('POST', '/api/v3/customer', { json: leadRequest() });
      expect((await finishTask(c, sandbox, good.body.taskId)).body.details).toEqual(['Converted']);
    });

    it('fails a conversion whose short name an Essentials customer of the tenant has (any letter case), keeping the lead', async ({
      c,
      sandbox,
    }) => {
      const created = await c.call('POST', '/api/v2/customer', {
        json: essentials({ shortName: 'siptest4', fullName: 'siptest4', msTenantId: LEAD_TENANT }),
      });
      expect(created.status).toBe(200);
      const a = await c.call('POST', '/api/v3/customer', { json: leadRequest() });
      expect(a.status).toBe(200);
      const done = await finishTask(c, sandbox, a.body.taskId);
      expect(done.body).toMatchObject({ status: 'CompletedFailed', details: ['Failed'] });
      expect(done.body.executionMessages).toEqual([
        {
          level: 'Error',
          message: "'Customer Short Name' must be unique per M365 Tenant: SIPTest4 is already in use.",
        },
      ]);
      const names = (await c.call('GET', '/_sandbox/state')).body.customers.map((x: any) => x.shortName);
      expect(names.filter((n: string) => n.toLowerCase() === 'siptest4')).toEqual(['siptest4']);
      const other = await c.call('POST', '/api/v3/customer', {
        json: leadRequest({ customerShortName: 'Other1' }),
      });
      expect((await finishTask(c, sandbox, other.body.taskId)).body.details).toEqual(['Converted']);
    });

    it('fails a conversion whose short name an earlier conversion in the tenant took', async ({
      c,
      sandbox,
    }) => {
      const first = await c.call('POST', '/api/v3/customer', { json: leadRequest() });
      expect((await finishTask(c, sandbox, first.body.taskId)).body.details).toEqual(['Converted']);
      // A new lead of the same tenant (renewed through the control plane), converted under the same name.
      expect((await c.call('POST', '/_sandbox/leads', { json: { msTenantId: LEAD_TENANT } })).status).toBe(
        201,
      );
      const again = await c.call('POST', '/api/v3/customer', {
        json: leadRequest({ customerShortName: 'SIPTEST4' }),
      });
      const done = await finishTask(c, sandbox, again.body.taskId);
      expect(done.body.status).toBe('CompletedFailed');
      expect(done.body.executionMessages[0].message).toMatch(/must be unique per M365 Tenant: SIPTEST4/);
      const names = (await c.call('GET', '/_sandbox/state')).body.customers.map((x: any) => x.shortName);
      expect(names.filter((n: string) => n.toLowerCase() === 'siptest4')).toHaveLength(1);
    });

    it('answers a wup_ task ending ValidationFailed when the tenant has no active lead, with real timestamps', async ({
      c,
      sandbox,
      clock,
    }) => {
      const a = await c.call('POST', '/api/v3/customer', {
        json: leadRequest({ msTenantId: '11111111-2222-4333-8444-555555555555' }),
      });
      expect(a.body.taskId).toMatch(/^wup_[0-9a-f-]{36}$/);
      const createdAt = clock.now();
      const done = await finishTask(c, sandbox, a.body.taskId);
      const example = specExample<any>('TaskValidationFailedNoLead');
      expect({ ...done.body, id: undefined, outputData: undefined }).toEqual({
        ...example,
        id: undefined,
        outputData: undefined,
      });
      const out = done.body.outputData;
      expect(out).toMatchObject({
        ocUploadNumberResult: 'ValidationFailed',
        workflowVersion: 3,
        msJobStatus: '',
      });
      expect(out.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
      expect(Date.parse(out.completeTime) - Date.parse(out.createTime)).toBe(DURATION);
      // Stamped with the sandbox's clock when the task was queued.
      expect(Date.parse(out.createTime)).toBe(createdAt);
    });

    it('refuses a body that breaks the contract with 400 and an errors map', async ({ c }) => {
      const a = await c.call('POST', '/api/v3/customer', {
        json: leadRequest({ configurationName: 'Other', extra: 1, msTenantId: 'nope' }),
      });
      expect(a.status).toBe(400);
      expect(Object.keys(a.body.errors).sort()).toEqual(['configurationName', 'extra', 'msTenantId']);
    });
  });

  describe('createEssentialsCustomer (v2)', () => {
    it('creates the customer synchronously in the vendor format; it can then be imported and verified', async ({
      c,
    }) => {
      const a = await c.call('POST', '/api/v2/customer', {
        json: essentials({ shortName: 'Acme_1', fullName: 'Acme One' }),
      });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ customerId: 'Acme_1', deploymentState: 'Deployed', errorDetails: null });
      expect(a.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.body.siteLocationIds).toHaveLength(1);
      expect(a.body.progressDetails).toBe(
        '(Information, MsTenantid is valid);(Information, Customer data created!);(Information, SBC sbc-onboarding done for site Acme_1.);(Information, Site created in Ovoc)',
      );
      const imp = await c.call('POST', `/api/v2/customer/${a.body.id}/action/ovocimport`, {
        json: { customerType: 'IPGROUP_TYPE' },
      });
      expect(imp.status).toBe(200);
      const { body } = await c.call('GET', '/_sandbox/state');
      const ovocId = body.customers.find((x: any) => x.id === a.body.id).ovocCustomerId;
      const ovoc = await c.call('PUT', `/api/ovoc/v1/topology/customers/${ovocId}`);
      expect(ovoc.body).toMatchObject({
        id: ovocId,
        name: 'Acme_1',
        fullName: 'Acme One',
        url: `/ovoc/v1/topology/lcCustomers/${ovocId}`,
      });
    });

    it('answers 409 for a short name already used in the tenant (the vendor example collides with fixture BradSB1E1)', async ({
      c,
    }) => {
      const a = await c.call('POST', '/api/v2/customer', { json: essentials() });
      expect(a.status).toBe(409);
      expect(a.body.detail).toContain('BradSB1E1');
      // Names are unique per tenant, not globally, and compared without case.
      const other = await c.call('POST', '/api/v2/customer', {
        json: essentials({ msTenantId: '11111111-2222-4333-8444-555555555555' }),
      });
      expect(other.status).toBe(200);
      expect(
        (await c.call('POST', '/api/v2/customer', { json: essentials({ shortName: 'bradsb1e1' }) })).status,
      ).toBe(409);
    });

    it('refuses broken shortName rules with 400 and errors.shortName', async ({ c }) => {
      for (const shortName of ['ab', 'a'.repeat(16), 'a.b', 'a b', 'a|b']) {
        const a = await c.call('POST', '/api/v2/customer', { json: essentials({ shortName }) });
        expect(a.status, shortName).toBe(400);
        expect(Object.keys(a.body.errors)).toEqual(['shortName']);
      }
    });

    it('accepts customer variables as extra string fields and refuses other extra values', async ({ c }) => {
      const ok = await c.call('POST', '/api/v2/customer', {
        json: essentials({ shortName: 'Vars1', Region: 'EU' }),
      });
      expect(ok.status).toBe(200);
      const bad = await c.call('POST', '/api/v2/customer', {
        json: essentials({ shortName: 'Vars2', Region: 5 }),
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors)).toEqual(['Region']);
    });

    it('refuses an unknown SBC or a script the SBC lacks with 400 on the siteLocation field', async ({
      c,
    }) => {
      const sbc = await c.call('POST', '/api/v2/customer', {
        json: essentials({
          shortName: 'NoSbc',
          siteLocation: { sbcId: 6, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
        }),
      });
      expect(sbc.status).toBe(400);
      expect(sbc.body.errors['siteLocation.sbcId'][0]).toContain('5');
      const scripts = await c.call('POST', '/api/v2/customer', {
        json: essentials({
          shortName: 'NoScript',
          siteLocation: { sbcId: 5, sbcOnboardingScript: 8, sbcCleanupScript: 7 },
        }),
      });
      expect(Object.keys(scripts.body.errors).sort()).toEqual([
        'siteLocation.sbcCleanupScript',
        'siteLocation.sbcOnboardingScript',
      ]);
    });

    it('names every missing field in the errors map', async ({ c }) => {
      const a = await c.call('POST', '/api/v2/customer', { json: {} });
      expect(a.status).toBe(400);
      expect(Object.keys(a.body.errors).sort()).toEqual(['ovocCustomerType', 'shortName', 'siteLocation']);
    });
  });

  describe('importCustomerFromOvoc', () => {
    it('imports fixture BradSB1E1 with the vendor request: a bare tsk_<n> string and a task ending as the vendor shows', async ({
      c,
      sandbox,
    }) => {
      const a = await c.call('POST', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`, {
        json: specExample('ImportCustomerRequest'),
      });
      expect(a.status).toBe(200);
      expect(a.body).toMatch(/^tsk_\d+$/);
      const b = await c.call('POST', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`, {
        json: specExample('ImportCustomerRequest'),
      });
      expect(Number(b.body.slice(4))).toBe(Number(a.body.slice(4)) + 1);
      const progress = await c.call('GET', `/api/v2/task/${a.body}`);
      expect(progress.body).toMatchObject({ status: 'InProgress', outputData: {} });
      const done = await finishTask(c, sandbox, a.body);
      expect(done.body).toEqual({ ...specExample<object>('TaskImportCompleted'), id: a.body });
    });

    it('gives the imported customer an OVOC customer with a new id, once', async ({ c }) => {
      const ids = async () =>
        (await c.call('GET', '/_sandbox/state')).body.ovocCustomers.map((o: any) => o.id);
      const before = await ids();
      await c.call('POST', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`, {
        json: { customerType: 'TENANT_TYPE' },
      });
      const after = await ids();
      expect(after.length).toBe(before.length + 1);
      const added = after.find((id: number) => !before.includes(id));
      const ovoc = await c.call('PUT', `/api/ovoc/v1/topology/customers/${added}`);
      expect(ovoc.body.name).toBe('BradSB1E1');
      await c.call('POST', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`, {
        json: { customerType: 'TENANT_TYPE' },
      });
      expect((await ids()).length).toBe(after.length);
    });

    it('answers 404 problem details for an unknown customerGuid, 400 for one that is not a guid', async ({
      c,
    }) => {
      const missing = await c.call(
        'POST',
        '/api/v2/customer/00000000-0000-4000-8000-000000000000/action/ovocimport',
        {
          json: { customerType: 'IPGROUP_TYPE' },
        },
      );
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toContain('00000000-0000-4000-8000-000000000000');
      const bad = await c.call('POST', '/api/v2/customer/not-a-guid/action/ovocimport', {
        json: { customerType: 'IPGROUP_TYPE' },
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors)).toEqual(['customerGuid']);
    });

    it('refuses a body without customerType', async ({ c }) => {
      const a = await c.call('POST', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`, {
        json: { customerSource: 'LTC' },
      });
      expect(a.status).toBe(400);
      expect(a.body.errors.customerType).toBeDefined();
    });
  });

  describe('verifyLcCustomer', () => {
    it('answers 404 for an unknown id and 400 for ids that are not positive ints', async ({ c }) => {
      expect((await c.call('PUT', '/api/ovoc/v1/topology/customers/999999')).status).toBe(404);
      // 2^63 is one past a long; 20 digits is far past it.
      for (const id of ['abc', '0', '-1', '1.5', '9223372036854775808', '99999999999999999999', '%20']) {
        const a = await c.call('PUT', `/api/ovoc/v1/topology/customers/${id}`);
        expect(a.status, id).toBe(400);
        expect(Object.keys(a.body.errors)).toEqual(['id']);
      }
    });

    it('answers 404, not 400, for every id a long holds, past 2^53 too (found by Schemathesis)', async ({
      c,
    }) => {
      for (const id of ['2147483648', '9007199254740993', '9223372036854775806', '9223372036854775807']) {
        const a = await c.call('PUT', `/api/ovoc/v1/topology/customers/${id}`);
        expect(a.status, id).toBe(404);
      }
    });

    it('ignores a body (the vendor PUT takes none) and changes nothing', async ({ c }) => {
      const a = await c.call('PUT', '/api/ovoc/v1/topology/customers/85844', { json: { name: 'changed' } });
      expect(a.body.name).toBe('Brad984');
    });
  });

  describe('getTask', () => {
    it('answers 404 for an unknown id and 400 for ids that break the TaskId pattern', async ({ c }) => {
      expect((await c.call('GET', '/api/v2/task/tsk_1')).status).toBe(404);
      expect((await c.call('GET', `/api/v2/task/wst_${'a'.repeat(200)}`)).status).toBe(400);
      for (const id of ['123', 'tsk_', '_1', 'tsk_1.2', 'ts%20k_1']) {
        const a = await c.call('GET', `/api/v2/task/${id}`);
        expect(a.status, id).toBe(400);
        expect(Object.keys(a.body.errors)).toEqual(['taskId']);
      }
    });

    it('forgets created tasks on reset', async ({ c }) => {
      const a = await c.call('POST', '/api/v3/customer', { json: leadRequest() });
      await c.call('POST', '/_sandbox/reset');
      expect((await c.call('GET', `/api/v2/task/${a.body.taskId}`)).status).toBe(404);
    });
  });
});

describe('src/sandbox/operations: one handler file per operation, as spec/paths/', () => {
  it('names each file after its operationId, and holds no handler the contract does not know', () => {
    const ids = operations.map((o) => o.operationId).sort();
    expect(Object.keys(handlers).sort()).toEqual(ids);
    for (const id of ids) {
      expect(existsSync(new URL(`../../spec/paths/${id}.yaml`, import.meta.url)), id).toBe(true);
      expect(existsSync(new URL(`../../src/sandbox/operations/${id}.ts`, import.meta.url)), id).toBe(true);
    }
    const files = readdirSync(new URL('../../src/sandbox/operations/', import.meta.url));
    expect(files.filter((f) => !['index.ts', 'handler.ts'].includes(f)).sort()).toEqual(
      ids.map((i) => `${i}.ts`),
    );
  });
});
