// `live-platform check --strict`, run as a process: the Prism mock does not enforce
// unevaluatedProperties, and the rule it then lets through (a customer variable must be a string)
// rests on our own decision, so it is a warning by default and a failure with --strict.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/live-platform.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('LIVE_PLATFORM_')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'check', ...args],
      { cwd: root, env, timeout: 90_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cli/commands/check.js')))
    throw new Error('dist/ is missing: run npm run build (npm test does)');
});

describe('live-platform check --strict', () => {
  it('warns about a lenient acceptance without it (exit 0) and fails it with it (exit 1)', async () => {
    const [lenient, strict] = await Promise.all([
      cli(['--only', 'createEssentialsCustomer']),
      cli(['--only', 'createEssentialsCustomer', '--strict']),
    ]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(
      /^createEssentialsCustomer\s+negative_data_rejection\s+warn 1\/\d+\s+ok \d+$/m,
    );
    expect(lenient.stdout).toMatch(
      /^ {2}! \[mock\] createEssentialsCustomer › negative: \/ unevaluatedProperties type \(ours\)$/m,
    );
    expect(lenient.stdout).toMatch(/^mock \(.*\): conformant — .*, 1 lenient,/m);

    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(
      /^createEssentialsCustomer\s+negative_data_rejection\s+FAIL 1\/\d+\s+ok \d+$/m,
    );
    expect(strict.stdout).toMatch(/^mock \(.*\): NOT conformant/m);
    expect(strict.stdout).toMatch(/^sandbox \(.*\): conformant/m);
  }, 120_000);

  it('documents the flag in --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--strict\s+fail, instead of warn about/);
  });
});
