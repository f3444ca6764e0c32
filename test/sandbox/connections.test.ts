import type { Socket } from 'node:net';
import { describe, expect } from 'vitest';
import { DEFAULT_SANDBOX_TOKEN } from '../../src/sandbox/index.js';
import { test as it } from '../support/fixtures.js';
import { exchange, open, statuses } from './raw.js';

const AUTH = `Authorization: Bearer ${DEFAULT_SANDBOX_TOKEN}\r\n`;

describe('src/sandbox/server.ts: every request gets an answer', () => {
  it('serves HEAD wherever GET, with the same headers and no body', async ({ startSandbox }) => {
    const sandbox = await startSandbox();
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

  it('answers CONNECT with a 405 problem instead of dropping it', async ({ startSandbox }) => {
    const sandbox = await startSandbox();
    const { text, closed } = await exchange(
      sandbox.url,
      `CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`,
    );
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([405]);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).status).toBe(405);
  });

  it('answers an unknown Expect with a 417 problem', async ({ startSandbox }) => {
    const sandbox = await startSandbox();
    const a = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Expect: 999-weird\r\nConnection: close\r\n\r\n`,
    );
    expect(statuses(a.text)).toEqual([417]);
    const body = JSON.parse(a.text.slice(a.text.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 417, title: 'Expectation Failed' });
    expect(body.detail).toContain('100-continue');
  });

  it('writes pipelined answers already produced before the 400 for the garbage after them', async ({
    startSandbox,
  }) => {
    const sandbox = await startSandbox();
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

  it('writes a delayed pipelined answer before the 400', async ({ startSandbox }) => {
    const sandbox = await startSandbox();
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

/**
 * Sends headers announcing `total` bytes, then writes as fast as the server reads. `byServer` says
 * whether the server ended the connection (rather than this side's 15 s guard).
 */
async function flood(url: string, head: string, total: number) {
  const socket = await open(url);
  let written = 0;
  let received = '';
  let byServer = true;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise<{ text: string; written: number; byServer: boolean }>((resolve) => {
    const timer = setTimeout(() => {
      byServer = false;
      socket.destroy();
    }, 15_000);
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: received, written, byServer });
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
  it.for(cases)(
    '%s: answers, closes, and does not read a 1 GiB body',
    async ([status, head], { startSandbox }) => {
      const sandbox = await startSandbox();
      const r = await flood(sandbox.url, head, 1024 ** 3);
      expect(statuses(r.text)).toEqual([Number(status)]);
      expect(r.text).toMatch(/connection: close/i);
      expect(r.byServer).toBe(true);
      // Bounded by socket buffers, far below the gigabyte announced.
      expect(r.written).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it('a 429 fault on a POST drops its body too, and closes after a large one', async ({ startSandbox }) => {
    const sandbox = await startSandbox();
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fault: '429', operationId: 'createCustomerFromLead' }),
    });
    const r = await flood(sandbox.url, cases[3]![1], 1024 ** 3);
    expect(statuses(r.text)).toEqual([429]);
    expect(r.text).toMatch(/connection: close/i);
    expect(r.byServer).toBe(true);
    expect(r.written).toBeLessThan(64 * 1024 * 1024);
  });

  it('keeps the connection of a small unused body usable (a GET with a few bytes)', async ({
    startSandbox,
  }) => {
    const sandbox = await startSandbox();
    const { text } = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: 5\r\n\r\nhello` +
        `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`,
    );
    expect(statuses(text)).toEqual([200, 200]);
  });
});

describe('src/sandbox/jwt.ts: the open routes drop an unused body up to the same small limit', () => {
  const cases: [string, number, string][] = [
    ['GET /_sandbox/token', 405, `GET /_sandbox/token HTTP/1.1\r\nHost: x\r\nContent-Length: LENGTH\r\n\r\n`],
    [
      'POST /_sandbox/token as text/plain',
      400,
      `POST /_sandbox/token HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: LENGTH\r\n\r\n`,
    ],
    ['GET /_sandbox/keys', 200, `GET /_sandbox/keys HTTP/1.1\r\nHost: x\r\nContent-Length: LENGTH\r\n\r\n`],
  ];
  it.for(cases)(
    '%s: answers %i, closes, and does not read a 1 GiB body',
    async ([, status, head], { startSandbox }) => {
      const sandbox = await startSandbox({ auth: 'jwt' });
      const r = await flood(sandbox.url, head, 1024 ** 3);
      expect(statuses(r.text)).toEqual([status]);
      expect(r.text).toMatch(/connection: close/i);
      expect(r.byServer).toBe(true);
      expect(r.written).toBeLessThan(64 * 1024 * 1024);
    },
  );
});

describe('src/sandbox/server.ts: idle and half-sent connections do not starve others', () => {
  it('cuts a half-sent request off with 408 after headersTimeoutMs', async ({ startSandbox }) => {
    const sandbox = await startSandbox({ limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
    const t = performance.now();
    // `closed`: the server ended it, not this side's 20 s wait.
    const { text, closed } = await exchange(
      sandbox.url,
      `GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n`,
      20_000,
    );
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([408]);
    // After the limit, never before it (timers do not fire early).
    expect(performance.now() - t).toBeGreaterThanOrEqual(990);
  });

  it('answers 408 to a request whose body stops arriving, after requestTimeoutMs', async ({
    startSandbox,
  }) => {
    const sandbox = await startSandbox({ limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 } });
    const { text, closed } = await exchange(
      sandbox.url,
      `POST /api/v3/customer HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ms`,
      20_000,
    );
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([408]);
  });

  it('close() does not wait for idle, half-sent or garbage-closed connections', async ({ startSandbox }) => {
    // Waits it could wrongly make are a minute long, twice the test's own timeout.
    const minute = { drainTimeoutMs: 60_000, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 };
    const sandbox = await startSandbox({ limits: { ...minute, keepAliveTimeoutMs: 60_000 } });
    const sockets: Socket[] = [];
    for (const bytes of ['', 'GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n', '\x00garbage\r\n\r\n']) {
      const s = await open(sandbox.url);
      s.on('error', () => {});
      if (bytes) s.write(bytes);
      sockets.push(s);
    }
    // A request answered after the bytes above were written: the server has read them by then.
    const barrier = await fetch(`${sandbox.url}/api/v2/task/tsk_185510`, {
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}`, connection: 'close' },
    });
    expect(barrier.status).toBe(200);
    await barrier.text();
    let guard: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      sandbox.close().then(() => 'closed'),
      new Promise((resolve) => (guard = setTimeout(resolve, 20_000, 'still waiting'))),
    ]);
    clearTimeout(guard);
    expect(waited).toBe('closed');
    for (const s of sockets) s.destroy();
  });

  it('over maxConnections sheds the oldest idle connection, so a new client is served', async ({
    startSandbox,
  }) => {
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
      await expect.poll(shed, { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
      // The oldest went first.
      expect(idle[0]!.destroyed || idle[0]!.readableEnded).toBe(true);
      expect(idle[29]!.destroyed).toBe(false);
      const res = await fetch(`${sandbox.url}/api/v2/task/tsk_185510`, {
        headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
      });
      expect(res.status).toBe(200);
      // The room was made from the oldest idle connections: the newest is still open.
      expect(idle[29]!.destroyed).toBe(false);
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});
