import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_TOKEN, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { sleep } from './conformance.js';
import { exchange, open, statuses } from './raw.js';

const AUTH = `Authorization: Bearer ${DEFAULT_SANDBOX_TOKEN}\r\n`;

describe('src/sandbox/server.ts: every request gets an answer', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ taskDurationMs: 50 });
  });
  afterAll(() => sandbox.close());

  it('serves HEAD wherever GET, with the same headers and no body', async () => {
    for (const path of ['/api/v2/task/tsk_185510', '/_sandbox/state', '/api/v2/task/tsk_nope']) {
      const get = await fetch(sandbox.url + path, {
        headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
      });
      const head = await fetch(sandbox.url + path, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
      });
      expect(head.status, path).toBe(get.status);
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(await head.text()).toBe('');
    }
    const { text } = await exchange(
      sandbox.url,
      `HEAD /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`,
    );
    expect(statuses(text)).toEqual([200]);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
  });

  it('answers CONNECT with a 405 problem instead of dropping it', async () => {
    const { text, closed } = await exchange(
      sandbox.url,
      `CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`,
    );
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([405]);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).status).toBe(405);
  });

  it('answers an unknown Expect with a 417 problem', async () => {
    const a = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Expect: 999-weird\r\nConnection: close\r\n\r\n`,
    );
    expect(statuses(a.text)).toEqual([417]);
    const body = JSON.parse(a.text.slice(a.text.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 417, title: 'Expectation Failed' });
    expect(body.detail).toContain('100-continue');
  });

  it('writes pipelined answers already produced before the 400 for the garbage after them', async () => {
    const lead = JSON.stringify({ msTenantId: '0b5f2a3c-1d2e-4f50-8a6b-000000000077' });
    const { text, closed } = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n` +
        `POST /_sandbox/leads HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: ${lead.length}\r\n\r\n${lead}` +
        `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n` +
        `\x00\x01 garbage that is no HTTP\r\n\r\n`,
    );
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([200, 201, 200, 400]);
    expect(text).toContain('"msTenantId":"0b5f2a3c-1d2e-4f50-8a6b-000000000077"');
  });

  it('writes a delayed pipelined answer before the 400', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'delay', delayMs: 300, operationId: 'getTask' }),
    });
    const { text } = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}\r\nBAD\x7f\r\n\r\n`,
    );
    expect(statuses(text)).toEqual([200, 400]);
  });
});

/** Sends headers announcing `total` bytes, then writes as fast as the server reads. */
async function flood(url: string, head: string, total: number) {
  const socket = await open(url);
  let written = 0;
  let received = '';
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const started = performance.now();
  return new Promise<{ text: string; written: number; ms: number }>((resolve) => {
    const timer = setTimeout(() => socket.destroy(), 15_000);
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: received, written, ms: performance.now() - started });
    });
    socket.write(head.replace('LENGTH', String(total)));
    const pump = () => {
      while (!socket.destroyed && written < total) {
        written += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

describe('src/sandbox/server.ts: a body that will not be used is dropped up to a small limit', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  const cases: [string, string][] = [
    [
      '401',
      `POST /api/v3/customer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: LENGTH\r\n\r\n`,
    ],
    [
      '415',
      `POST /api/v3/customer HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: text/plain\r\nContent-Length: LENGTH\r\n\r\n`,
    ],
    ['405', `DELETE /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: LENGTH\r\n\r\n`],
    [
      '413',
      `POST /api/v3/customer HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: LENGTH\r\n\r\n`,
    ],
  ];
  it.each(cases)('%s: answers, closes, and does not read a 1 GiB body', async (status, head) => {
    const r = await flood(sandbox.url, head, 1024 ** 3);
    expect(statuses(r.text)).toEqual([Number(status)]);
    expect(r.text).toMatch(/connection: close/i);
    // Bounded by socket buffers, far below the gigabyte announced.
    expect(r.written).toBeLessThan(64 * 1024 * 1024);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a 429 fault on a POST drops its body too, and closes after a large one', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fault: '429', operationId: 'createCustomerFromLead' }),
    });
    const r = await flood(sandbox.url, cases[3]![1], 1024 ** 3);
    expect(statuses(r.text)).toEqual([429]);
    expect(r.text).toMatch(/connection: close/i);
    expect(r.written).toBeLessThan(64 * 1024 * 1024);
  });

  it('keeps the connection of a small unused body usable (a GET with a few bytes)', async () => {
    const { text } = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: 5\r\n\r\nhello` +
        `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`,
    );
    expect(statuses(text)).toEqual([200, 200]);
  });
});

describe('src/sandbox/jwt.ts: the open routes drop an unused body up to the same small limit', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ auth: 'jwt' });
  });
  afterAll(() => sandbox.close());

  const cases: [string, number, string][] = [
    ['GET /_sandbox/token', 405, `GET /_sandbox/token HTTP/1.1\r\nHost: x\r\nContent-Length: LENGTH\r\n\r\n`],
    [
      'POST /_sandbox/token as text/plain',
      400,
      `POST /_sandbox/token HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: LENGTH\r\n\r\n`,
    ],
    ['GET /_sandbox/keys', 200, `GET /_sandbox/keys HTTP/1.1\r\nHost: x\r\nContent-Length: LENGTH\r\n\r\n`],
  ];
  it.each(cases)('%s: answers %i, closes, and does not read a 1 GiB body', async (_name, status, head) => {
    const r = await flood(sandbox.url, head, 1024 ** 3);
    expect(statuses(r.text)).toEqual([status]);
    expect(r.text).toMatch(/connection: close/i);
    expect(r.written).toBeLessThan(64 * 1024 * 1024);
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('src/sandbox/server.ts: idle and half-sent connections do not starve others', () => {
  it('cuts a half-sent request off with 408 after headersTimeoutMs', async () => {
    const sandbox = await startSandbox({ limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
    try {
      const t = performance.now();
      const { text, closed } = await exchange(
        sandbox.url,
        `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n`,
        8_000,
      );
      expect(closed).toBe(true);
      expect(statuses(text)).toEqual([408]);
      expect(performance.now() - t).toBeLessThan(6_000);
    } finally {
      await sandbox.close();
    }
  });

  it('answers 408 to a request whose body stops arriving, after requestTimeoutMs', async () => {
    const sandbox = await startSandbox({ limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 } });
    try {
      const { text, closed } = await exchange(
        sandbox.url,
        `POST /api/v3/customer HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ms`,
        8_000,
      );
      expect(closed).toBe(true);
      expect(statuses(text)).toEqual([408]);
    } finally {
      await sandbox.close();
    }
  });

  it('close() does not wait for idle, half-sent or garbage-closed connections', async () => {
    const sandbox = await startSandbox();
    const sockets: Socket[] = [];
    for (const bytes of ['', 'GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n', '\x00garbage\r\n\r\n']) {
      const s = await open(sandbox.url);
      s.on('error', () => {});
      if (bytes) s.write(bytes);
      sockets.push(s);
    }
    await sleep(100);
    const t = performance.now();
    await sandbox.close();
    // Well under the 3 s drain and the 10 s request timeout it would otherwise wait for.
    expect(performance.now() - t).toBeLessThan(2_500);
    for (const s of sockets) s.destroy();
  });

  it('over maxConnections sheds the oldest idle connection, so a new client is served at once', async () => {
    const sandbox = await startSandbox({ limits: { maxConnections: 20 } });
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const s = await open(sandbox.url);
        s.on('error', () => {});
        s.write(`GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n`);
        idle.push(s);
      }
      // The server sheds as it accepts, which on a loaded machine lags the client's connect.
      const shed = () => idle.filter((s) => s.destroyed || s.readableEnded).length;
      for (let i = 0; i < 200 && shed() < 10; i++) await sleep(25);
      const closed = shed();
      expect(closed).toBeGreaterThanOrEqual(10);
      // The oldest went first.
      expect(idle[0]!.destroyed || idle[0]!.readableEnded).toBe(true);
      expect(idle[29]!.destroyed).toBe(false);
      const t = performance.now();
      const res = await fetch(`${sandbox.url}/api/v2/task/tsk_185510`, {
        headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(performance.now() - t).toBeLessThan(2_000);
    } finally {
      for (const s of idle) s.destroy();
      await sandbox.close();
    }
  });
});
