// `live-platform check --strict`, run as a process: the Prism mock does not enforce
// unevaluatedProperties, and the rule it then lets through (a customer variable must be a string)
// rests on our own decision, so it is a warning by default and a failure with --strict.
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './cli-process.js';

const cli = (args: string[]) => runCli(['check', ...args], { timeout: 90_000 });

beforeAll(assertBuilt);

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
