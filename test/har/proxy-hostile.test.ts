// The proxy holds the sandbox's hostile-client cases, and an upstream that fails becomes a 502
// problem, never a crash or a hang.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { validateResponseBody } from '../../src/contract/index.js';
import { freePort } from '../../src/mock/net.js';
import {
  startProxy,
  VIOLATIONS_HEADER,
  type ProxyOptions,
  type RunningProxy,
} from '../../src/proxy/index.js';
import { exchange, statuses } from '../sandbox/raw.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function upstream(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

async function proxy(options: ProxyOptions): Promise<RunningProxy> {
  const p = await startProxy(options);
  cleanup.push(p.close);
  return p;
}

const ok = () => upstream((_req, res) => res.end('{}'));

describe('proxy: hostile clients', () => {
  it('refuses a body over 64 KiB with a 413 problem, without forwarding it', async () => {
    const up = await ok();
    const p = await proxy({ upstream: up.url });
    const res = await fetch(`${p.url}/api/v3/customer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(200 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { status: number }).status).toBe(413);
    expect(up.hits()).toBe(0);
  });

  it("refuses a body that is not UTF-8 with the contract's 400 (a ValidationProblemDetails), without forwarding it", async () => {
    const up = await ok();
    const p = await proxy({ upstream: up.url });
    const res = await fetch(`${p.url}/api/v3/customer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x4b, 0x57, 0x71, 0xff]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors?: Record<string, string[]> };
    expect(body.errors?.$?.[0]).toMatch(/not valid UTF-8/);
    expect(validateResponseBody('createCustomerFromLead', 400, body)).toEqual({ declared: true, issues: [] });
    expect(up.hits()).toBe(0);
  });

  it('cuts a client that sends its headers too slowly off with 408', async () => {
    const up = await ok();
    const p = await proxy({ upstream: up.url, limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 } });
    const { text, closed } = await exchange(p.url, 'GET /api/v2/task/tsk_1 HTTP/1.1\r\nHost: x\r\n', 8_000);
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([408]);
    expect(up.hits()).toBe(0);
  });

  it('cuts a client whose body stops arriving off with 408', async () => {
    const up = await ok();
    const p = await proxy({ upstream: up.url, limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 } });
    const { text, closed } = await exchange(
      p.url,
      'POST /api/v3/customer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ms',
      8_000,
    );
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([408]);
    expect(up.hits()).toBe(0);
  });

  it('answers garbage with 400 and CONNECT with 405, as problems', async () => {
    const up = await ok();
    const p = await proxy({ upstream: up.url });
    const garbage = await exchange(p.url, 'NOT HTTP AT ALL\r\n\r\n', 8_000);
    expect(statuses(garbage.text)).toEqual([400]);
    const connect = await exchange(
      p.url,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n',
      8_000,
    );
    expect(statuses(connect.text)).toEqual([405]);
    expect(connect.text).toContain('application/problem+json');
    const expect417 = await exchange(
      p.url,
      'GET /api/v2/task/tsk_1 HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n',
      8_000,
    );
    expect(statuses(expect417.text)).toEqual([417]);
    expect(expect417.text).toContain('application/problem+json');
    expect(up.hits()).toBe(0);
  });
});

describe('proxy: an upstream that fails', () => {
  it('answers 502 with a problem body when nothing listens upstream', async () => {
    const p = await proxy({ upstream: `http://127.0.0.1:${await freePort()}` });
    const res = await fetch(`${p.url}/api/v2/task/tsk_1`);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { status: number; title: string; detail: string };
    expect(body).toMatchObject({ status: 502, title: 'Bad Gateway' });
    expect(body.detail).toMatch(/ECONNREFUSED/);
  });

  it('answers 502 when the upstream does not answer within the deadline', async () => {
    const up = await upstream(() => undefined);
    const p = await proxy({ upstream: up.url, upstreamTimeoutMs: 300 });
    const res = await fetch(`${p.url}/api/v2/task/tsk_1`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/no complete response within 300 ms/);
  });

  it('answers 502 when the upstream answers without end, having read no more than the cap', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const p = await proxy({ upstream: up.url });
    const res = await fetch(`${p.url}/api/v2/task/tsk_1`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/more than 4194304 bytes/);
  });

  it('keeps serving after an upstream failure, and marks a path the contract lacks', async () => {
    const up = await ok();
    const p = await proxy({ upstream: up.url });
    const res = await fetch(`${p.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get(VIOLATIONS_HEADER)).toBe('unknown-operation');
  });
});
