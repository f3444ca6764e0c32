// The recorder: every string redacted in every form, credential headers whatever their value,
// bounded in entries, and a HAR written whole or not at all.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactor, secretForms } from '../../src/internal/redact.js';
import type { ObservedExchange } from '../../src/internal/exchange.js';
import { HarRecorder } from '../../src/har/record.js';
import { writeWhole } from '../../src/har/write.js';
import { UsageError } from '../../src/cli/args.js';
import { runSandbox } from '../../src/cli/commands/sandbox.js';

const SECRET = 's3cr3t/t0ken+x';
const dir = mkdtempSync(join(tmpdir(), 'lp-har-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const observed = (body: string): ObservedExchange => ({
  request: {
    method: 'POST',
    url: `https://lp.example.com/api/v3/customer?echo=${encodeURIComponent(SECRET)}`,
    headers: { authorization: `Bearer ${SECRET}`, cookie: 'session=abc', 'content-type': 'application/json' },
    body: JSON.stringify({ note: SECRET }),
  },
  response: {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'x-echo': Buffer.from(`user:${SECRET}`).toString('base64'),
    },
    body,
  },
  timings: { startedAt: Date.UTC(2025, 5, 2), headersMs: 2, totalMs: 6 },
});

describe('HarRecorder', () => {
  it('keeps no form of the secret and no credential header value', () => {
    const recorder = new HarRecorder({ creator: { name: 't', version: '1' }, redact: redactor([SECRET]) });
    recorder.observe(observed(JSON.stringify({ taskId: SECRET })));
    const text = JSON.stringify(recorder.toHar());
    for (const form of secretForms([SECRET])) expect(text).not.toContain(form);
    const [entry] = recorder.toHar().log.entries;
    expect(entry!.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer [redacted]' });
    expect(entry!.request.headers).toContainEqual({ name: 'cookie', value: '[redacted]' });
    expect(entry!.time).toBe(6);
    expect(entry!.timings).toEqual({ send: 0, wait: 2, receive: 4 });
    expect(entry!.startedDateTime).toBe('2025-06-02T00:00:00.000Z');
  });

  it('records a request that got no answer as status 0 with the reason', () => {
    const recorder = new HarRecorder({ creator: { name: 't', version: '1' }, redact: redactor([]) });
    const { response: _gone, ...failed } = observed('');
    recorder.observe({ ...failed, error: 'ECONNREFUSED' });
    const [entry] = recorder.toHar().log.entries;
    expect(entry!.response.status).toBe(0);
    expect(entry!._error).toBe('ECONNREFUSED');
  });

  it('stops at its entry cap and says how many it dropped', () => {
    const recorder = new HarRecorder({
      creator: { name: 't', version: '1' },
      redact: redactor([]),
      maxEntries: 2,
    });
    for (let i = 0; i < 5; i++) recorder.observe(observed('{}'));
    const har = recorder.toHar();
    expect(har.log.entries).toHaveLength(2);
    expect(har.log.comment).toMatch(/^3 exchange\(s\) not recorded/);
  });
});

describe('writeWhole', () => {
  it('replaces the file in one step and leaves no temporary file', async () => {
    const path = join(dir, 'a.har');
    await writeWhole(path, 'first');
    await writeWhole(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails without leaving anything when the directory is missing', async () => {
    await expect(writeWhole(join(dir, 'missing', 'a.har'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('sandbox --seed-har', () => {
  it('is a usage error (exit 2) for a file that is not a recording', async () => {
    const io = { out: () => undefined, err: () => undefined, until: () => Promise.resolve(0) };
    await expect(runSandbox(['--port', '0', '--seed-har', join(dir, 'nope.har')], io)).rejects.toThrow(
      UsageError,
    );
    await expect(runSandbox(['--port', '0', '--seed-har', join(dir, 'nope.har')], io)).rejects.toThrow(
      /--seed-har: .*does not exist/,
    );
  });
});
