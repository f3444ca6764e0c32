// `live-platform proxy` as a user runs it: a line per exchange without the token, the HAR written
// on SIGUSR2 and again, whole, on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { assertBuilt, bin, cleanEnv, root, runCli } from '../check/cli-process.js';
import { validateHar12 } from './har-schema.js';

const TOKEN = 'proxy-cli-secret-31337';
let sandbox: RunningSandbox;
let dir: string;
beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ port: 0, tokens: [TOKEN] });
  dir = mkdtempSync(join(tmpdir(), 'lp-proxy-cli-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the output so far once `pattern` appears in it. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}

describe('live-platform proxy', () => {
  it('logs without the token, writes the HAR on SIGUSR2 and on SIGTERM', async () => {
    const har = join(dir, 'session.har');
    const child = spawn(
      process.execPath,
      [bin, 'proxy', '--upstream', sandbox.url, '--port', '0', '--har', har],
      {
        cwd: root,
        env: cleanEnv(),
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const out = await waitFor(child.stdout, /listening on (http:\/\/\S+),/);
      const url = /listening on (http:\/\/\S+),/.exec(out)![1]!;
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const logged = waitFor(child.stderr, /GET \/api\/v2\/task\/tsk_185510 200 /);
      const res = await fetch(`${url}/api/v2/task/tsk_185510?token=${TOKEN}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-live-platform-violations')).toBe('none');
      expect(await logged).toMatch(/ none\n/);

      const snapshot = waitFor(child.stderr, /wrote 1 exchange\(s\)/);
      child.kill('SIGUSR2');
      await snapshot;
      expect(validateHar12(JSON.parse(readFileSync(har, 'utf8')))).toBe(true);

      await (
        await fetch(`${url}/api/v2/task/tsk_nope`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const text = readFileSync(har, 'utf8');
      expect((JSON.parse(text) as { log: { entries: unknown[] } }).log.entries).toHaveLength(2);
      expect(text).not.toContain(TOKEN);
      expect(stderr).not.toContain(TOKEN);

      const validate = await runCli(['validate', har]);
      expect(validate.code, validate.stdout).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a missing or wrong --upstream with exit 2', async () => {
    const none = await runCli(['proxy']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--upstream is required/);
    // The error and one pointer to --help, not the whole help after it.
    expect(none.stderr.trim().split('\n')).toHaveLength(2);
    expect(none.stderr).toMatch(/Run "live-platform proxy --help" for its options/);
    const wrong = await runCli(['proxy', '--upstream', 'ftp://x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/must start with http/);
    // The one base-URL rule: credentials in the upstream are refused, and never echoed.
    const secret = await runCli(['proxy', '--upstream', 'https://user:hunter2@live.example.com']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/--upstream must not carry a user name or password/);
    expect(secret.stderr).not.toContain('hunter2');
  });
});
