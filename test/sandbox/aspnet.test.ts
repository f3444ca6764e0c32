import { afterAll, beforeAll, describe, expect } from 'vitest';
import { test as it } from '../support/fixtures.js';
import { specExample } from '../../src/contract/index.js';
import { acceptsJsonFirst, EXTRA_MEMBERS, parseAspNetFlag } from '../../src/sandbox/aspnet.js';
import {
  ASPNET_SWITCHES,
  DEFAULT_SANDBOX_TOKEN,
  startSandbox,
  type AspNetSwitch,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import { exchange } from './raw.js';

const AUTH = { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` };
const IMPORT_PATH = '/api/v2/customer/182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport';
const LEAD = specExample<Record<string, unknown>>('CreateCustomerFromLeadRequest');
const ESSENTIALS: Record<string, unknown> = {
  ...specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest'),
  shortName: 'Asp1',
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, loosely typed: the tests read deep members of several shapes. */
  json: any;
}

async function call(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  o: { json?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(o.token === null ? {} : { authorization: `Bearer ${o.token ?? DEFAULT_SANDBOX_TOKEN}` }),
    ...o.headers,
  };
  if (o.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    ...(o.json !== undefined ? { body: JSON.stringify(o.json) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** One sandbox per switch, so each is shown to work alone; plus one with every switch off. */
const sandboxes = new Map<AspNetSwitch | 'none', RunningSandbox>();
const on = (s: AspNetSwitch | 'none') => sandboxes.get(s)!;

beforeAll(async () => {
  sandboxes.set('none', await startSandbox({ taskDurationMs: 0 }));
  for (const s of ASPNET_SWITCHES)
    sandboxes.set(s, await startSandbox({ taskDurationMs: 0, aspnet: { [s]: true } }));
});
afterAll(async () => {
  await Promise.all([...sandboxes.values()].map((s) => s.close()));
});

describe('src/sandbox/aspnet.ts: each switch on the wire', () => {
  it("emptyAuthBodies: a 401 is empty with JwtBearer's challenge, on every path", async () => {
    const sandbox = on('emptyAuthBodies');
    for (const path of ['/api/v2/task/tsk_185510', '/_sandbox/state', '/no/such/path']) {
      const missing = await call(sandbox, 'GET', path, { token: null });
      expect(missing.status).toBe(401);
      expect(missing.text).toBe('');
      expect(missing.headers.get('content-type')).toBeNull();
      expect(missing.headers.get('content-length')).toBe('0');
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    }
    const refused = await call(sandbox, 'POST', '/api/v3/customer', { token: 'wrong', json: LEAD });
    expect(refused.status).toBe(401);
    expect(refused.text).toBe('');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    // Off: the problem body and the realm stay.
    const plain = await call(on('none'), 'GET', '/api/v2/task/tsk_185510', { token: null });
    expect(plain.json).toMatchObject({ status: 401 });
    expect(plain.headers.get('www-authenticate')).toBe('Bearer realm="live-platform-sandbox"');
  });

  it('emptyAuthBodies with JWT mode: the challenge keeps the JwtBearer error, the body is empty', async ({
    serve,
  }) => {
    const sandbox = await serve(startSandbox({ auth: 'jwt', aspnet: { emptyAuthBodies: true } }));
    const a = await call(sandbox, 'GET', '/api/v2/task/tsk_185510', { token: 'not.a.jwt' });
    expect(a.status).toBe(401);
    expect(a.text).toBe('');
    expect(a.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const none = await call(sandbox, 'GET', '/api/v2/task/tsk_185510', { token: null });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('emptyMethodNotAllowed: a 405 of the API is empty with Allow; the control plane keeps its problem', async () => {
    const sandbox = on('emptyMethodNotAllowed');
    const a = await call(sandbox, 'DELETE', '/api/v2/task/tsk_185510');
    expect(a.status).toBe(405);
    expect(a.text).toBe('');
    expect(a.headers.get('allow')).toBe('GET, HEAD');
    expect(a.headers.get('content-type')).toBeNull();
    const control = await call(sandbox, 'GET', '/_sandbox/reset');
    expect(control.status).toBe(405);
    expect(control.json).toMatchObject({ status: 405 });
    expect((await call(on('none'), 'DELETE', '/api/v2/task/tsk_185510')).json).toMatchObject({ status: 405 });
  });

  it('textPlainStrings: the import answers text/plain unquoted, JSON only when Accept asks for it first', async () => {
    const sandbox = on('textPlainStrings');
    const body = specExample('ImportCustomerRequest');
    for (const accept of [
      undefined,
      '*/*',
      'application/json, text/plain, */*',
      'text/plain',
      'application/xml',
    ]) {
      const a = await call(sandbox, 'POST', IMPORT_PATH, { json: body, headers: accept ? { accept } : {} });
      expect(a.status, String(accept)).toBe(200);
      expect(a.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(a.text).toMatch(/^tsk_\d+$/);
      expect(Number(a.headers.get('content-length'))).toBe(a.text.length);
      // The unquoted id is still a task id the API knows.
      expect((await call(sandbox, 'GET', `/api/v2/task/${a.text}`)).status).toBe(200);
    }
    for (const accept of [
      'application/json',
      'text/plain;q=0.5, application/json',
      'application/problem+json',
    ]) {
      const a = await call(sandbox, 'POST', IMPORT_PATH, { json: body, headers: { accept } });
      expect(a.headers.get('content-type'), accept).toBe('application/json; charset=utf-8');
      expect(a.json).toMatch(/^tsk_\d+$/);
    }
    // Object results are unaffected.
    const task = await call(sandbox, 'GET', '/api/v2/task/tsk_185510');
    expect(task.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('jobIdStart: the lead conversion answers {jobId}, and that id polls', async () => {
    const a = await call(on('jobIdStart'), 'POST', '/api/v3/customer', { json: LEAD });
    expect(a.status).toBe(200);
    expect(Object.keys(a.json)).toEqual(['jobId']);
    expect(a.json.jobId).toMatch(/^wst_/);
    const task = await call(on('jobIdStart'), 'GET', `/api/v2/task/${a.json.jobId}`);
    expect(task.json).toMatchObject({ id: a.json.jobId, status: 'CompletedSuccess' });
    expect(Object.keys((await call(on('none'), 'POST', '/api/v3/customer', { json: LEAD })).json)).toEqual([
      'taskId',
    ]);
  });

  it('extraMembers: every response object carries unknown members; maps, strings and arrays do not', async () => {
    const sandbox = on('extraMembers');
    const extra = expect.objectContaining(EXTRA_MEMBERS);

    const start = await call(sandbox, 'POST', '/api/v3/customer', { json: LEAD });
    expect(start.json).toEqual({ taskId: expect.stringMatching(/^wst_/), ...EXTRA_MEMBERS });
    const task = await call(sandbox, 'GET', `/api/v2/task/${start.json.taskId}`);
    expect(task.json).toEqual(extra);
    expect(task.json.outputData).toEqual(
      expect.objectContaining({ umpCustomerGuid: expect.any(String), ...EXTRA_MEMBERS }),
    );
    expect(task.json.executionMessages.length).toBeGreaterThan(0);
    for (const m of task.json.executionMessages) expect(m).toEqual(extra);
    expect(task.json.details).toEqual(['Converted']);

    const importTask = await call(sandbox, 'GET', '/api/v2/task/tsk_185510');
    expect(importTask.json.outputData).toEqual(EXTRA_MEMBERS);

    const ovoc = await call(sandbox, 'PUT', '/api/ovoc/v1/topology/customers/85844');
    expect(ovoc.json).toEqual(extra);
    expect(ovoc.json.contacts).toEqual(extra);
    expect(ovoc.json.applicationsStatus.management).toEqual(extra);
    expect(ovoc.json.applicationsStatus.voiceQuality.teamsVoiceQualityJson).toEqual(extra);
    // `services` is a map keyed by service name: its keys stay the services; each value is a record.
    expect(Object.keys(ovoc.json.services)).not.toContain('extraMember');
    expect(ovoc.json.services.LTC).toEqual(extra);

    const customer = await call(sandbox, 'POST', '/api/v2/customer', { json: ESSENTIALS });
    expect(customer.status).toBe(200);
    expect(customer.json).toEqual(extra);

    const imported = await call(sandbox, 'POST', IMPORT_PATH, { json: specExample('ImportCustomerRequest') });
    expect(imported.json).toMatch(/^tsk_\d+$/);

    const notFound = await call(sandbox, 'GET', '/api/v2/task/tsk_1');
    expect(notFound.json).toEqual(expect.objectContaining({ status: 404, ...EXTRA_MEMBERS }));
    const invalid = await call(sandbox, 'POST', '/api/v2/customer', {
      json: { ...ESSENTIALS, shortName: 'a' },
    });
    expect(invalid.json).toEqual(expect.objectContaining({ status: 400, ...EXTRA_MEMBERS }));
    expect(Object.keys(invalid.json.errors)).toEqual(['shortName']);
    expect(Number(invalid.headers.get('content-length'))).toBe(Buffer.byteLength(invalid.text));
  });

  it('ignoreUnknownMembers: unknown members of closed request objects are dropped, not refused', async () => {
    const sandbox = on('ignoreUnknownMembers');
    const lead = { ...LEAD, unknownMember: { deep: [1] }, customerShortName: 'Ignored1' };
    expect((await call(on('none'), 'POST', '/api/v3/customer', { json: lead })).status).toBe(400);
    const a = await call(sandbox, 'POST', '/api/v3/customer', { json: lead });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ taskId: expect.stringMatching(/^wst_/) });

    const essentials = {
      ...ESSENTIALS,
      siteLocation: { ...(ESSENTIALS.siteLocation as object), bogus: true },
    };
    expect((await call(on('none'), 'POST', '/api/v2/customer', { json: essentials })).status).toBe(400);
    expect((await call(sandbox, 'POST', '/api/v2/customer', { json: essentials })).status).toBe(200);

    const imp = await call(sandbox, 'POST', IMPORT_PATH, {
      json: { ...specExample<object>('ImportCustomerRequest'), extra: 1 },
    });
    expect(imp.status).toBe(200);
    // Known members keep their rules, and required stays required.
    const broken = await call(sandbox, 'POST', '/api/v3/customer', { json: { ...lead, msTenantId: 'nope' } });
    expect(broken.status).toBe(400);
    expect(Object.keys(broken.json.errors)).toEqual(['msTenantId']);
    const { customerType: _dropped, ...noType } =
      specExample<Record<string, unknown>>('ImportCustomerRequest');
    expect((await call(sandbox, 'POST', IMPORT_PATH, { json: { ...noType, extra: 1 } })).status).toBe(400);
  });

  it('dollarErrorKeys: errors are keyed by JSON path', async () => {
    const sandbox = on('dollarErrorKeys');
    const a = await call(sandbox, 'POST', '/api/v2/customer', {
      json: {
        ...ESSENTIALS,
        shortName: 'a',
        siteLocation: { sbcId: 99, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
      },
    });
    expect(a.status).toBe(400);
    expect(Object.keys(a.json.errors)).toEqual(['$.shortName']);
    const b = await call(sandbox, 'POST', '/api/v2/customer', {
      json: { ...ESSENTIALS, siteLocation: { sbcId: 99, sbcOnboardingScript: 7, sbcCleanupScript: 700 } },
    });
    expect(Object.keys(b.json.errors)).toEqual(['$.siteLocation.sbcId']);
    const res = await fetch(`${sandbox.url}/api/v3/customer`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '{',
    });
    expect(Object.keys(((await res.json()) as { errors: object }).errors)).toEqual(['$']);
    expect(Number(a.headers.get('content-length'))).toBe(Buffer.byteLength(a.text));
  });

  it('noRetryAfter: a 429 fault comes without Retry-After', async () => {
    const sandbox = on('noRetryAfter');
    const fault = await call(sandbox, 'POST', '/_sandbox/faults', {
      json: { fault: '429', operationId: 'getTask' },
    });
    expect(fault.status).toBe(201);
    const a = await call(sandbox, 'GET', '/api/v2/task/tsk_185510');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBeNull();
    expect(a.json.detail).not.toMatch(/retry after/i);
    expect((await call(sandbox, 'GET', '/api/v2/task/tsk_185510')).status).toBe(200);
    await call(on('none'), 'POST', '/_sandbox/faults', { json: { fault: '429', operationId: 'getTask' } });
    expect((await call(on('none'), 'GET', '/api/v2/task/tsk_185510')).headers.get('retry-after')).toBe('1');
  });

  it("shapes by the route the server matched: HEAD gets GET's headers, an absolute-form target its path", async () => {
    // extraMembers lengthens a GET answer; the HEAD of it must announce the same Content-Length.
    const extra = on('extraMembers');
    const get = await call(extra, 'GET', '/api/v2/task/tsk_185510');
    const head = await call(extra, 'HEAD', '/api/v2/task/tsk_185510');
    expect(get.json).toMatchObject(EXTRA_MEMBERS);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    // `DELETE http://host/_sandbox/state` is the control plane as much as `DELETE /_sandbox/state`.
    const sandbox = on('emptyMethodNotAllowed');
    const { text: raw } = await exchange(
      sandbox.url,
      `DELETE ${sandbox.url}/_sandbox/state HTTP/1.1\r\nHost: x\r\n` +
        `Authorization: Bearer ${DEFAULT_SANDBOX_TOKEN}\r\nConnection: close\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 405 /);
    expect(raw).toMatch(/application\/problem\+json/);
    expect(raw).toMatch(/"status":405/);
  });

  it('all switches at once still give a working provisioning flow on the wire', async ({ serve }) => {
    const sandbox = await serve(
      startSandbox({
        taskDurationMs: 0,
        aspnet: Object.fromEntries(ASPNET_SWITCHES.map((s) => [s, true])),
      }),
    );
    const start = await call(sandbox, 'POST', '/api/v3/customer', { json: { ...LEAD, extra: 1 } });
    expect(start.json.jobId).toMatch(/^wst_/);
    const task = await call(sandbox, 'GET', `/api/v2/task/${start.json.jobId}`);
    expect(task.json.status).toBe('CompletedSuccess');
    const imp = await call(
      sandbox,
      'POST',
      `/api/v2/customer/${task.json.outputData.umpCustomerGuid}/action/ovocimport`,
      {
        json: specExample('ImportCustomerRequest'),
      },
    );
    expect(imp.text).toMatch(/^tsk_\d+$/);
    expect((await call(sandbox, 'GET', `/api/v2/task/${imp.text}`)).json.status).toBe('CompletedSuccess');
  });
});

describe('src/sandbox/aspnet.ts: options', () => {
  it('parses --aspnet all|name,name and refuses unknown names with the list', () => {
    expect(Object.keys(parseAspNetFlag('all'))).toEqual([...ASPNET_SWITCHES]);
    expect(parseAspNetFlag('jobIdStart, noRetryAfter')).toEqual({ jobIdStart: true, noRetryAfter: true });
    expect(() => parseAspNetFlag('jobIdStart,nope')).toThrow(/unknown: nope/);
    expect(() => parseAspNetFlag('')).toThrow(/emptyAuthBodies/);
  });

  it('startSandbox refuses an unknown switch or a non-boolean', async () => {
    // @ts-expect-error: not a switch
    await expect(startSandbox({ aspnet: { emptyBodies: true } })).rejects.toThrow(
      /unknown aspnet switch "emptyBodies"/,
    );
    // @ts-expect-error: booleans only
    await expect(startSandbox({ aspnet: { jobIdStart: 'yes' } })).rejects.toThrow(/true or false/);
  });

  it('negotiates like ASP.NET: */* is ignored, then quality order, text/plain before JSON at equal quality', () => {
    expect(acceptsJsonFirst(undefined)).toBe(false);
    expect(acceptsJsonFirst('application/json')).toBe(true);
    expect(acceptsJsonFirst('application/json, */*')).toBe(false);
    expect(acceptsJsonFirst('text/plain, application/json')).toBe(false);
    expect(acceptsJsonFirst('text/plain;q=0.1, application/json')).toBe(true);
    expect(acceptsJsonFirst('application/*')).toBe(true);
    expect(acceptsJsonFirst('image/png')).toBe(false);
    expect(acceptsJsonFirst('application/json;q=0')).toBe(false);
  });
});
