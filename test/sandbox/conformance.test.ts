import { describe, expect, it } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { conformance } from './conformance.js';

/** A fetch that answers every request with one fixed response. */
const answering =
  (status: number, body: unknown, headers: Record<string, string> = {}): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: {
        'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
        ...headers,
      },
    });

const problem = (status: number) => ({ title: 'x', status, errors: { $: ['x'] } });

describe('test/sandbox/conformance.ts: the helper catches what breaks the contract', () => {
  it('accepts a conforming answer', async () => {
    const c = conformance('http://x', 't', { fetch: answering(200, specExample('TaskImportCompleted')) });
    await c.call('GET', '/api/v2/task/tsk_185510');
    expect(c.violations).toEqual([]);
    expect(c.checked()).toBe(1);
  });

  it('flags a status the operation does not declare', async () => {
    const c = conformance('http://x', 't', { fetch: answering(404, problem(404)) });
    await c.call('POST', '/api/v3/customer', { json: {} });
    expect(c.violations).toEqual([expect.stringContaining('status not declared for createCustomerFromLead')]);
  });

  it('flags a body the contract rejects', async () => {
    const c = conformance('http://x', 't', { fetch: answering(200, { id: 'tsk_1', status: 'Done' }) });
    await c.call('GET', '/api/v2/task/tsk_1');
    expect(c.violations.length).toBeGreaterThan(0);
    expect(c.violations.every((v) => v.includes(': body '))).toBe(true);
  });

  it('flags a 429 with a malformed Retry-After (it is optional), and a 400 without an errors map', async () => {
    const c = conformance('http://x', 't', {
      fetch: answering(429, problem(429), { 'retry-after': 'soon' }),
    });
    await c.call('GET', '/api/v2/task/tsk_1');
    expect(c.violations).toEqual([expect.stringContaining('header')]);
    const d = conformance('http://x', 't', { fetch: answering(400, { title: 'x', status: 400 }) });
    await d.call('GET', '/api/v2/task/tsk_1');
    expect(d.violations).toEqual([expect.stringContaining('errors')]);
  });

  it('flags any 5xx unless the suite expects it, and a problem with the wrong content type', async () => {
    const c = conformance('http://x', 't', { fetch: answering(500, problem(500)) });
    await c.call('GET', '/api/v2/task/tsk_1');
    expect(c.violations).toEqual([expect.stringContaining('a 5xx')]);
    const d = conformance('http://x', 't', { fetch: answering(503, problem(503)), expected5xx: [503] });
    await d.call('GET', '/api/v2/task/tsk_1');
    expect(d.violations).toEqual([]);
    const e = conformance('http://x', 't', {
      fetch: answering(404, problem(404), { 'content-type': 'text/html' }),
    });
    await e.call('GET', '/api/v2/task/tsk_1');
    expect(e.violations).toEqual([expect.stringContaining('content-type')]);
  });
});
