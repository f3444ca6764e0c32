// `live-platform check` at its edges, run as a process the way a user runs it: flags it refuses
// before any request (with one line that points at --help), a setup mistake printed first, and
// SIGINT/SIGTERM, which stop the run within 2 s, leave no server running and write the reports.
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirForFile } from '../support/temp-dir.js';
import { GOOD_TOKEN, startConforming } from './broken/conforming.js';
import { assertBuilt, bin, cleanEnv, root, runCli, type CliResult } from './cli-process.js';

const cli = (args: string[], env = cleanEnv()): Promise<CliResult> => runCli(['check', ...args], { env });

let dir: string;
tempDirForFile('lp-edges-cli-', (made) => (dir = made));
beforeAll(() => assertBuilt());

describe('usage mistakes: the error, a suggestion, and one line pointing at --help', () => {
  it('an unknown option prints no help text', async () => {
    const { code, stderr, stdout } = await cli(['--junti', 'r.xml']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `live-platform check: Unknown option '--junti'. Did you mean "--junit"?`,
      'Run "live-platform check --help" for its options.',
    ]);
  });

  it('--max-examples -1 names the option and what it accepts', async () => {
    const { code, stderr } = await cli(['--max-examples', '-1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--max-examples must be a whole number from 1 to 100000, not "-1".');
    expect(stderr).not.toMatch(/ambiguous/);
  });

  it('a missing value is still one, when the next argument is another option', async () => {
    const { code, stderr } = await cli(['--token', '--base-url', 'http://127.0.0.1:9']);
    expect(code).toBe(2);
    expect(stderr).toContain('--token needs a value, but the option --base-url follows it.');
  });

  it('a bad LIVE_PLATFORM_BASE_URL is called by its name, not --base-url', async () => {
    const { code, stderr } = await cli(
      [],
      cleanEnv({ LIVE_PLATFORM_BASE_URL: 'not a url', LIVE_PLATFORM_TOKEN: 'x' }),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('LIVE_PLATFORM_BASE_URL must be an absolute http(s) URL');
    expect(stderr).not.toContain('--base-url must');
  });
});

describe('refused before any request', () => {
  it('a token no HTTP header can carry: exit 2, nothing sent, the token not quoted', async () => {
    const server = await startConforming();
    try {
      const token = 'tok\u20acen-4471';
      const { code, stderr, stdout } = await cli(
        ['--base-url', server.url],
        cleanEnv({ LIVE_PLATFORM_TOKEN: token }),
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(/LIVE_PLATFORM_TOKEN holds .* which no HTTP header can carry/);
      expect(stdout + stderr).not.toContain('4471');
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('two report options naming one file, however spelled, or a report path under a regular file', async () => {
    const server = await startConforming();
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'not a directory');
    try {
      const cases: [string[], RegExp][] = [
        [['--json', join(dir, 'r.json'), '--junit', join(dir, 'r.json')], /--junit and --json both name/],
        [
          ['--junit', join(dir, 'r.json'), '--json', join(dir, 'sub', '..', 'r.json')],
          /--junit and --json both name/,
        ],
        [['--har', join(dir, 'r.json'), '--json', join(dir, 'r.json')], /--json and --har both name/],
        [['--json', join(file, 'r.json')], /plain\.txt is a file, not a directory/],
      ];
      for (const [args, message] of cases) {
        const { code, stderr } = await cli(
          ['--base-url', server.url, ...args],
          cleanEnv({ LIVE_PLATFORM_TOKEN: GOOD_TOKEN }),
        );
        expect(code, args.join(' ')).toBe(2);
        expect(stderr).toMatch(message);
      }
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('a setup mistake is the first thing printed, and stops the run', () => {
  it('a refused token: the diagnosis leads, no failure rows of other checks', async () => {
    const server = await startConforming();
    try {
      const { code, stdout, stderr } = await cli(['--base-url', server.url, '--token', 'expired-token-4471']);
      expect(code).toBe(2);
      expect(stdout.split('\n')[0]).toMatch(/^live: the server refused the token \(401/);
      expect(stderr.split('\n').find((l) => !/seed|checking|checked/.test(l))).toMatch(
        /^live-platform check: the server refused the token/,
      );
      expect(stdout).not.toMatch(/expected 405/);
      expect(stdout).not.toMatch(/Failures/);
    } finally {
      await server.close();
    }
  });
});

/** The pids of a process's descendants, read from ps. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of rows)
      if (ppid === parent) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts `check args`, sends `signal` once stderr matches `when`, and says how long the process
 * took to exit after it, its exit code, and which of its descendants were still alive afterwards.
 */
async function interrupt(args: string[], signal: NodeJS.Signals, when: RegExp, env = cleanEnv()) {
  const child = spawn(process.execPath, [bin, 'check', ...args], { cwd: root, env });
  let stderr = '';
  let stdout = '';
  let sentAt = 0;
  let children: number[] = [];
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (!sentAt && when.test(stderr)) {
      children = descendants(child.pid!);
      sentAt = Date.now();
      child.kill(signal);
    }
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const stopMs = Date.now() - sentAt;
  clearTimeout(killer);
  return { code, stopMs, stderr, stdout, sent: sentAt > 0, leftRunning: children.filter(alive), children };
}

describe('SIGINT and SIGTERM stop the run within 2 s, stop every server it started, write the reports', () => {
  it('SIGTERM while the mock starts and the cases are generated: exit 143, Prism stopped', async () => {
    const r = await interrupt(['--json', join(dir, 'early.json')], 'SIGTERM', /starting /);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(143);
    expect(r.stopMs).toBeLessThan(2_000);
    expect(r.leftRunning).toEqual([]);
  }, 60_000);

  it('SIGINT in the generated phase: exit 130, no child left, the report of what completed written', async () => {
    const json = join(dir, 'interrupted.json');
    const r = await interrupt(
      ['--max-examples', '2000', '--json', json],
      'SIGINT',
      /checking (mock|sandbox): \d+\/\d+ cases/,
    );
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stopMs).toBeLessThan(2_000);
    expect(r.children.length).toBeGreaterThan(0); // Prism was running when the signal came
    expect(r.leftRunning).toEqual([]);
    const report = JSON.parse(await readFile(json, 'utf8'));
    const incomplete = report.targets.map((t: { incomplete?: string }) => t.incomplete);
    expect(incomplete).toContain('interrupted during the generated phase');
  }, 120_000);

  it('SIGTERM against a URL whose tasks never end: exit 143 at once, the report written', async () => {
    const server = await startConforming({ taskView: (task) => ({ ...task, status: 'InProgress' }) });
    try {
      const junit = join(dir, 'url.xml');
      const r = await interrupt(
        ['--base-url', server.url, '--allow-writes', '--junit', junit],
        'SIGTERM',
        /checking live:/,
        cleanEnv({ LIVE_PLATFORM_TOKEN: GOOD_TOKEN }),
      );
      expect(r.code).toBe(143);
      expect(r.stopMs).toBeLessThan(2_000);
      expect(await readFile(junit, 'utf8')).toMatch(/<property name="incomplete" value="interrupted/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
