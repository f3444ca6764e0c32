import { connect } from 'node:net';
import { afterAll, describe, expect } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { sandboxTest } from '../support/fixtures.js';
import { finishTask } from './conformance.js';

const BRAD_GUID = '182f496c-0aaa-4023-bdd4-03b9cf8f68b9';
const lead = specExample<Record<string, unknown>>('CreateCustomerFromLeadRequest');
const essentials = specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest');
const json = { 'content-type': 'application/json' };

/** The JSON-body operations and the control endpoints that read JSON. */
const BODY_TARGETS: [string, string][] = [
  ['POST', '/api/v3/customer'],
  ['POST', '/api/v2/customer'],
  ['POST', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`],
  ['POST', '/_sandbox/leads'],
  ['POST', '/_sandbox/faults'],
];

/**
 * Sends raw bytes over TCP and reads until the server closes the connection or one whole response
 * (headers and Content-Length body) has arrived; a 10 s guard ends a read that gets neither.
 */
function rawRequest(port: number, data: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    const done = () => {
      clearTimeout(guard);
      socket.destroy();
      resolve(out);
    };
    const guard = setTimeout(done, 10_000);
    socket.on('data', (d) => {
      out += d.toString('utf8');
      const end = out.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(out.slice(0, end))?.[1];
      if (end !== -1 && length !== undefined && Buffer.byteLength(out.slice(end + 4)) >= Number(length))
        done();
    });
    socket.on('end', done);
    socket.on('error', (e) => {
      clearTimeout(guard);
      reject(e);
    });
    socket.write(data);
  });
}

function parseRaw(response: string): { status: number; headers: string; body: any } {
  const [head = '', ...rest] = response.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, headers: head.toLowerCase(), body: JSON.parse(rest.join('\r\n\r\n')) };
}

const logs: string[] = [];
// One sandbox for the file; at its end the fixture checks that 100 answers or more all conformed.
const it = sandboxTest({ log: (l) => logs.push(l) }, { atLeast: 100 }).extend(
  'port',
  { scope: 'file' },
  ({ sandbox }) => Number(new URL(sandbox.url).port),
);

describe('src/sandbox: hostile and malformed input', () => {
  afterAll(() => {
    // No input reached the catch-all: no 5xx was logged.
    expect(logs.filter((l) => / 5\d\d /.test(l) || l.includes('bug'))).toEqual([]);
  });

  it('answers malformed JSON with 400 and errors.$', async ({ c }) => {
    for (const [method, path] of BODY_TARGETS) {
      for (const raw of ['{', '[1,', 'nul', '{"a":}', "{'a': 1}", 'NaN', '{"a":1}}', '\u0000', ' ']) {
        const a = await c.call(method, path, { raw, headers: json });
        expect(a.status, `${path} ${JSON.stringify(raw)}`).toBe(400);
        expect(a.body.errors.$).toHaveLength(1);
      }
    }
  });

  it('answers bodies that are JSON but not objects with 400', async ({ c }) => {
    for (const [method, path] of BODY_TARGETS) {
      for (const raw of ['null', '[]', '"x"', '1', 'true', '[{}]']) {
        expect((await c.call(method, path, { raw, headers: json })).status, `${path} ${raw}`).toBe(400);
      }
    }
  });

  it('answers a wrong or missing content-type with 415', async ({ c }) => {
    const body = JSON.stringify(lead);
    for (const [method, path] of BODY_TARGETS) {
      for (const type of [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        'application/jsonx',
        '',
      ]) {
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        const a = await c.call(method, path, { raw: type ? body : new TextEncoder().encode(body), headers });
        if (!type) expect(a.status, `${path} without content-type`).toBe(415);
        else expect(a.status, `${path} ${type}`).toBe(415);
        expect(a.body.detail).toContain('application/json');
      }
    }
    // Parameters and case are fine.
    const ok = await c.call('POST', '/api/v3/customer', {
      raw: body,
      headers: { 'content-type': 'Application/JSON; charset="UTF-8"' },
    });
    expect(ok.status).toBe(200);
  });

  it('answers bodies over 64 KiB with 413 and keeps the connection usable', async ({ c }) => {
    for (const size of [64 * 1024 + 1, 1024 * 1024, 5 * 1024 * 1024]) {
      const raw = `{"customerShortName":"${'a'.repeat(size)}"}`;
      for (const [method, path] of BODY_TARGETS) {
        const a = await c.call(method, path, { raw, headers: json });
        expect(a.status, `${path} ${size}`).toBe(413);
      }
    }
    // Exactly at the limit is still read.
    const pad = 64 * 1024 - JSON.stringify({ ...lead, customerFullName: '' }).length;
    const atLimit = JSON.stringify({ ...lead, customerFullName: 'a'.repeat(pad) });
    expect(new TextEncoder().encode(atLimit).length).toBe(64 * 1024);
    expect((await c.call('POST', '/api/v3/customer', { raw: atLimit, headers: json })).status).toBe(200);
    expect((await c.call('GET', '/api/v2/task/tsk_185510')).status).toBe(200);
  });

  it('answers invalid UTF-8 with 400', async ({ c }) => {
    const cases = [
      [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d], // bytes that are never UTF-8
      [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d], // an overlong '/'
      [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d], // an encoded surrogate
      [0x7b, 0x22, 0xe2, 0x82], // truncated sequence
    ];
    for (const [method, path] of BODY_TARGETS) {
      for (const bytes of cases) {
        const a = await c.call(method, path, { raw: new Uint8Array(bytes), headers: json });
        expect(a.status, `${path} ${bytes}`).toBe(400);
        expect(a.body.errors.$[0]).toContain('UTF-8');
      }
    }
  });

  it('answers deeply nested JSON with 400, never a crash', async ({ c }) => {
    const depth = 32_000; // as deep as 64 KiB allows
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    for (const [method, path] of BODY_TARGETS) {
      for (const raw of [arrays, objects]) {
        expect((await c.call(method, path, { raw, headers: json })).status).toBe(400);
      }
    }
    // Nested where the contract takes a value: a customer variable, a script parameter, a name.
    // Built as text: JSON.stringify itself cannot write this depth.
    const withValue = (body: Record<string, unknown>, field: string) =>
      JSON.stringify({ ...body, [field]: '@' }).replace('"@"', objects);
    const cases: [string, string][] = [
      ['/api/v2/customer', withValue({ ...essentials, shortName: 'Deep1' }, 'Region')],
      ['/api/v2/customer', withValue(essentials, 'shortName')],
      ['/api/v3/customer', JSON.stringify(lead).replace('"SIPTrunk"', objects)],
      ['/api/v3/customer', withValue(lead, 'customerShortName')],
    ];
    for (const [path, raw] of cases) {
      const a = await c.call('POST', path, { raw, headers: json });
      expect(a.status, path).toBe(400);
    }
  });

  it('treats __proto__ and constructor keys as plain data and pollutes nothing', async ({ c }) => {
    const proto = '"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}';
    for (const [method, path] of BODY_TARGETS) {
      const a = await c.call(method, path, { raw: `{${proto}}`, headers: json });
      expect(a.status, path).toBe(400);
    }
    // As a customer variable (a string) it is accepted and stored as data.
    const variable = JSON.stringify({ ...essentials, shortName: 'Proto1' }).replace(
      /}$/,
      ', "__proto__": "x", "constructor": "y"}',
    );
    expect((await c.call('POST', '/api/v2/customer', { raw: variable, headers: json })).status).toBe(200);
    // A __proto__ field of the errors map does not replace the map's prototype.
    const unknown = JSON.stringify(lead).replace(/}$/, ', "__proto__": 1}');
    const answer = await c.call('POST', '/api/v3/customer', { raw: unknown, headers: json });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors)).toEqual(['__proto__']);
    const faults = await c.call('POST', '/_sandbox/faults', {
      raw: '{"fault":"429","__proto__":{"count":5}}',
      headers: json,
    });
    expect(faults.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).count).toBeUndefined();
    const state = await c.call('GET', '/_sandbox/state');
    expect(state.body.faults).toEqual([]);
    const stored = state.body.customers.find((x: any) => x.shortName === 'Proto1');
    expect(Object.keys(stored.variables).sort()).toEqual(['__proto__', 'constructor']);
  });

  it('handles huge strings: refused where the contract limits them, failed by the task where the vendor does', async ({
    c,
    sandbox,
  }) => {
    const huge = 'x'.repeat(60_000);
    expect(
      (await c.call('POST', '/api/v2/customer', { json: { ...essentials, shortName: huge } })).status,
    ).toBe(400);
    expect(
      (
        await c.call('POST', '/api/v2/customer', {
          json: { ...essentials, shortName: 'Huge1', fullName: huge },
        })
      ).status,
    ).toBe(400);
    const keyed = await c.call('POST', '/api/v3/customer', { json: { ...lead, [huge]: 1 } });
    expect(keyed.status).toBe(400);
    const a = await c.call('POST', '/api/v3/customer', { json: { ...lead, customerShortName: huge } });
    expect(a.status).toBe(200);
    expect((await finishTask(c, sandbox, a.body.taskId)).body.details).toEqual(['Failed']);
    const id = await c.call('GET', `/api/v2/task/tsk_${'1'.repeat(5000)}`);
    expect(id.status).toBe(400);
    expect(id.text.length).toBeLessThan(2000);
  });

  it('survives odd JSON values: lone surrogates, huge numbers, duplicate keys', async ({ c, sandbox }) => {
    const surrogate = JSON.stringify(lead).replace('"SIPTest4"', '"\\ud800abc"');
    const a = await c.call('POST', '/api/v3/customer', { raw: surrogate, headers: json });
    expect(a.status).toBe(200);
    expect((await finishTask(c, sandbox, a.body.taskId)).body.details).toEqual(['Failed']);
    for (const n of ['1e400', '-1e400', '1.5', '9223372036854775808', '-0']) {
      const raw = JSON.stringify({ ...essentials, shortName: 'Num1' }).replace('"sbcId":5', `"sbcId":${n}`);
      const answer = await c.call('POST', '/api/v2/customer', { raw, headers: json });
      expect(answer.status, n).toBe(400);
    }
    const dup = '{"fault":"429","fault":"nope"}';
    expect((await c.call('POST', '/_sandbox/faults', { raw: dup, headers: json })).status).toBe(400);
  });

  it('answers unknown paths 404 and wrong methods 405 with Allow', async ({ c }) => {
    for (const path of [
      '/',
      '/api',
      '/api/v2/task',
      '/api/v2/task/',
      '/api/v4/customer',
      '/api/v2/customer/x/action/other',
      '/_sandbox',
      '/_sandbox/nope',
      '/_sandbox/__proto__',
    ]) {
      const a = await c.call('GET', path);
      expect(a.status, path).toBe(404);
    }
    // HEAD goes wherever GET does (RFC 9110 9.3.2), so Allow names both.
    const cases: [string, string, string][] = [
      ['DELETE', '/api/v2/task/tsk_185510', 'GET, HEAD'],
      ['POST', '/api/v2/task/tsk_185510', 'GET, HEAD'],
      ['PATCH', '/api/v3/customer', 'POST'],
      ['GET', '/api/v2/customer', 'POST'],
      ['GET', '/api/ovoc/v1/topology/customers/85844', 'PUT'],
      ['GET', `/api/v2/customer/${BRAD_GUID}/action/ovocimport`, 'POST'],
      ['GET', '/_sandbox/reset', 'POST'],
      ['POST', '/_sandbox/state', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const a = await c.call(method, path);
      expect(a.status, `${method} ${path}`).toBe(405);
      expect(a.headers.get('allow')).toBe(allow);
    }
  });

  it('ignores query strings and answers ids with encoded slashes or dots as 400', async ({ c }) => {
    expect((await c.call('GET', '/api/v2/task/tsk_185510?token=secret&x=%ff')).status).toBe(200);
    for (const id of ['tsk%2F185510', 'tsk_%ff', 'tsk_%', '%00']) {
      expect((await c.call('GET', `/api/v2/task/${id}`)).status, id).toBe(400);
    }
    expect(logs.some((l) => l.includes('secret'))).toBe(false);
  });

  it('answers malformed HTTP with a JSON problem over the raw socket', async ({ port }) => {
    const garbage = parseRaw(await rawRequest(port, 'GARBAGE\r\n\r\n'));
    expect(garbage.status).toBe(400);
    expect(garbage.headers).toContain('application/problem+json');
    expect(garbage.body.status).toBe(400);
    const bigHeader = parseRaw(
      await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`),
    );
    expect(bigHeader.status).toBe(431);
    const badLength = parseRaw(
      await rawRequest(port, 'POST /api/v3/customer HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
    );
    expect(badLength.status).toBe(400);
  });

  it('answers odd request targets over the raw socket', async ({ port, sandbox }) => {
    const auth = `Authorization: Bearer ${sandbox.token}`;
    const absolute = parseRaw(
      await rawRequest(
        port,
        `GET http://example.com/api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(absolute.status).toBe(200);
    const star = parseRaw(
      await rawRequest(port, `OPTIONS * HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`),
    );
    expect(star.status).toBe(404);
    // fetch would resolve the dots itself; a raw request keeps them in the id.
    const dots = parseRaw(
      await rawRequest(
        port,
        `GET /api/v2/task/%2e%2e HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(dots.status).toBe(400);
    const doubleSlash = parseRaw(
      await rawRequest(
        port,
        `GET //api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(doubleSlash.status).toBe(404);
    // A chunked body is read like any other.
    const body = JSON.stringify(lead);
    const chunked = parseRaw(
      await rawRequest(
        port,
        `POST /api/v3/customer HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      ),
    );
    expect(chunked.status).toBe(200);
  });

  it('still serves normally after all of the above', async ({ c }) => {
    const a = await c.call('GET', '/api/v2/task/tsk_185510');
    expect(a.status).toBe(200);
  });
});
