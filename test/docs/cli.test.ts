import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'bin/live-platform.js');
const dir = mkdtempSync(join(tmpdir(), 'lp-docs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [cli, ...args], { cwd: dir }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('src/cli/commands/docs.ts', () => {
  it('builds the offline page where --output says and tells where it is', async () => {
    const out = join(dir, 'reference', 'api.html');
    const { code, stdout } = await run(['docs', '--output', out]);
    expect(code).toBe(0);
    expect(stdout).toContain('docs: 5 operations');
    expect(stdout).toContain(`file://${out}`);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('Content-Security-Policy');
  }, 60_000);

  it('exits 2 on an unknown flag, pointing at --help rather than printing it', async () => {
    const { code, stderr } = await run(['docs', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain(`Unknown option '--bogus'.`);
    expect(stderr).toContain('Run "live-platform docs --help" for its options.');
    expect(stderr).not.toContain('Usage: live-platform docs');
  });
});
