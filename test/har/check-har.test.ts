// `check --har` against the sandbox: the recording opens as HAR 1.2, holds no token in any form,
// and `validate` holds it against the contract at exit 0.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../src/internal/redact.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { assertBuilt, cleanEnv, runCli } from '../check/cli-process.js';
import { validateHar12 } from './har-schema.js';

const TOKEN = 'har-secret-token-4711';
let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ port: 0, taskDurationMs: 50, tokens: [TOKEN] });
  dir = mkdtempSync(join(tmpdir(), 'lp-har-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('check --har', () => {
  it('records every exchange as HAR 1.2 that validate passes at exit 0', async () => {
    const har = join(dir, 'run.har');
    const check = await runCli(
      ['check', '--base-url', sandbox.url, '--target', 'sandbox', '--no-generate', '--har', har],
      { env: cleanEnv({ LIVE_PLATFORM_TOKEN: TOKEN }) },
    );
    expect(check.code, check.stderr).toBe(0);
    const text = readFileSync(har, 'utf8');
    const parsed = JSON.parse(text) as { log: { entries: { request: { method: string; url: string } }[] } };
    expect(validateHar12(parsed), JSON.stringify(validateHar12.errors)).toBe(true);
    // The run's request count is in its summary line; every one of them is an entry.
    const requests = Number(/(\d+) requests/.exec(check.stdout)?.[1]);
    expect(parsed.log.entries.length).toBe(requests);
    expect(parsed.log.entries.some((e) => e.request.method === 'POST')).toBe(true);
    for (const form of secretForms([TOKEN])) expect(text).not.toContain(form);
    expect(text).toContain('Bearer [redacted]');

    const validate = await runCli(['validate', har]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/run\.har \(http:\/\/127\.0\.0\.1:\d+\): conformant/);
  });

  it('refuses a --har path that cannot be written before sending anything', async () => {
    const result = await runCli(
      ['check', '--base-url', sandbox.url, '--har', join(dir, 'missing', 'run.har')],
      { env: cleanEnv({ LIVE_PLATFORM_TOKEN: TOKEN }) },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--har .* does not exist or is not writable/);
  });
});
