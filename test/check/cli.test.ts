import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirForFile } from '../support/temp-dir.js';
import { freePort } from '../../src/mock/net.js';
import { GOOD_TOKEN, LEAD_TENANT, startConforming } from './broken/conforming.js';
import { startEchoesToken } from './broken/echoes-token.js';
import { descendants, parseXml } from './xml.js';
import { assertBuilt, cleanEnv, runCli, type CliResult } from './cli-process.js';

const cli = (args: string[], env = cleanEnv()): Promise<CliResult> => runCli(['check', ...args], { env });

let dir: string;
/** The no-URL run's output, which must say that live was not configured. */
let embeddedStdout = '';
tempDirForFile('lp-check-', (made) => (dir = made));
beforeAll(() => assertBuilt());

describe('live-platform check (src/cli/commands/check.ts), run as a process', () => {
  it('with no URL checks the mock and the sandbox side by side, says live is not configured, writes JUnit and JSON', async () => {
    const junit = join(dir, 'embedded.xml');
    const json = join(dir, 'embedded.json');
    const { code, stdout, stderr } = await cli(['--junit', junit, '--json', json]);
    embeddedStdout = stdout;
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^operation\s+check\s+mock\s+sandbox$/m);
    expect(stdout).toMatch(/^getTask\s+task_lifecycle\s+skip\s+ok \d+$/m);
    expect(stdout).toContain('live: not configured');
    expect(stdout).toMatch(/^mock \(http:\/\/127\.0\.0\.1:\d+\): conformant/m);
    expect(stdout).toMatch(/^sandbox \(http:\/\/127\.0\.0\.1:\d+\): conformant/m);
    const tree = parseXml(await readFile(junit, 'utf8'));
    const suites = descendants(tree, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual([
      'live-platform check: mock',
      'live-platform check: sandbox',
    ]);
    const cases = descendants(tree, 'testcase');
    expect(cases.length).toBeGreaterThan(60);
    for (const c of cases) {
      expect(c.attributes.name).toMatch(
        /^(importCustomerFromOvoc|createEssentialsCustomer|verifyLcCustomer|createCustomerFromLead|getTask) [a-z_]+$/,
      );
      expect(c.attributes.classname).toContain(c.attributes.name!.split(' ')[0]);
    }
    const skipped = cases.filter((c) => c.children.some((k) => k.name === 'skipped'));
    expect(skipped.map((c) => c.children[0]!.attributes.message)).toContain('Prism is stateless');
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.conformant).toBe(true);
    expect(report.notConfigured[0]).toMatch(/^live: not configured/);
    // Two whole checks (Prism and the sandbox) take about 12 s on a quiet machine, more than 30 s
    // on a loaded one; cli() kills a run at 60 s, which then fails the exit code above.
  }, 120_000);

  it('checks LIVE_PLATFORM_BASE_URL when it is set (otherwise the run above reported "live: not configured")', async () => {
    const live = process.env.LIVE_PLATFORM_BASE_URL;
    const token = process.env.LIVE_PLATFORM_TOKEN;
    if (!live) {
      expect(embeddedStdout).toMatch(
        /^live: not configured \(pass --base-url, or set LIVE_PLATFORM_BASE_URL/m,
      );
      return;
    }
    expect(token, 'LIVE_PLATFORM_BASE_URL is set, so LIVE_PLATFORM_TOKEN must be too').toBeTruthy();
    const { code, stdout } = await cli(
      [],
      cleanEnv({ LIVE_PLATFORM_BASE_URL: live, LIVE_PLATFORM_TOKEN: token! }),
    );
    expect(stdout).toMatch(/^live \(.*\): conformant/m);
    expect(code).toBe(0);
  });

  it('exits 2 with what to do on usage mistakes', async () => {
    const readOnly = join(dir, 'missing-dir', 'r.xml');
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'\.\nRun "live-platform check --help" for its options\.$/m],
      [['--base-url', 'not a url', '--token', 'x'], /--base-url must be an absolute http\(s\) URL/],
      [['--base-url', 'ftp://host', '--token', 'x'], /must start with http:\/\/ or https:\/\//],
      [['--base-url', 'http://127.0.0.1:1'], /no token for http:\/\/127\.0\.0\.1:1: set LIVE_PLATFORM_TOKEN/],
      [
        ['--only', 'deleteEverything'],
        /--only "deleteEverything" is not an operationId of the contract; choose one of importCustomerFromOvoc/,
      ],
      [['--max-response-time', 'fast'], /--max-response-time must be a whole number of milliseconds/],
      [['--junit', readOnly], /--junit .* cannot be written: .* does not exist or is not writable/],
      [['--json', dir], /--json .* is a directory/],
      [['--lead-tenant', 'abc'], /--lead-tenant must be a Microsoft tenant id/],
      [['--request-timeout', '0'], /--request-timeout must be a whole number of milliseconds above 0/],
      [['--task-timeout', '5s'], /--task-timeout must be a whole number of milliseconds above 0/],
      [['--concurrency', '1000'], /--concurrency must be a whole number from 1 to 64/],
      [['--target', 'mock'], /--target says what the server at --base-url is/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
      // A refused flag is one error, not also a warning that it would be ignored and the run go on.
      expect(r.stderr, cases[i]![0].join(' ')).not.toContain('warning:');
    });
  });

  it('--task-timeout applies to the servers it starts too: 1 ms fails the task lifecycle', async () => {
    const { code, stdout } = await cli(['--task-timeout', '1', '--only', 'getTask', '--no-generate']);
    // The default (15 s) lets the sandbox's 100 ms task finish and be confirmed; 1 ms cannot, whether
    // the first poll still saw it InProgress or (on a loaded machine) already saw it finished, with
    // no time left to confirm it. Either way the 1 ms is named: it reached the embedded sandbox run.
    expect(stdout).toMatch(
      /task \S+ (still InProgress after 1 ms|ended \w+, but was not confirmed within 1 ms)/,
    );
    expect(code).toBe(1);
  });

  it('exits 2 with "cannot reach" when nothing listens at the URL', async () => {
    const port = await freePort();
    const { code, stderr } = await cli(
      ['--base-url', `http://127.0.0.1:${port}`],
      cleanEnv({ LIVE_PLATFORM_TOKEN: 'x-token' }),
    );
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot reach http://127.0.0.1:${port} (ECONNREFUSED): is the server running`);
  });

  it('never writes the token anywhere, even when the server echoes it back', async () => {
    const token = 'zq-Distinctive-Token-7731';
    const server = await startEchoesToken(token);
    try {
      const junit = join(dir, 'echo.xml');
      const json = join(dir, 'echo.json');
      const { code, stdout, stderr } = await cli([
        '--base-url',
        server.url,
        '--token',
        token,
        '--junit',
        junit,
        '--json',
        json,
      ]);
      expect(code).toBe(1);
      expect(stdout).toContain('[redacted]');
      expect(stdout).toContain('"Authorization: Bearer $LIVE_PLATFORM_TOKEN"');
      for (const text of [stdout, stderr, await readFile(junit, 'utf8'), await readFile(json, 'utf8')]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain('Distinctive');
      }
    } finally {
      await server.close();
    }
  });

  it('sends nothing that writes to a URL it did not start, unless --allow-writes; then names carry the run prefix', async () => {
    const server = await startConforming();
    try {
      const env = cleanEnv({ LIVE_PLATFORM_TOKEN: GOOD_TOKEN });
      const readOnly = await cli(['--base-url', server.url], env);
      expect(readOnly.code).toBe(0);
      expect(server.received.filter((line) => /^(POST|PATCH|DELETE) /.test(line))).toEqual([]);
      expect(server.received).toContain('PUT /api/ovoc/v1/topology/customers/85844');
      expect(readOnly.stdout).toMatch(/pass --allow-writes to send it/);
      expect(readOnly.stdout).toMatch(/^createEssentialsCustomer\s+positive_data_acceptance\s+skip$/m);

      const json = join(dir, 'writes.json');
      const writes = await cli(
        ['--base-url', server.url, '--allow-writes', '--lead-tenant', LEAD_TENANT, '--json', json],
        env,
      );
      expect(writes.code).toBe(0);
      const report = JSON.parse(await readFile(json, 'utf8')).targets[0];
      expect(report.runPrefix).toMatch(/^ct[a-z0-9]{6}$/);
      expect(writes.stdout).toContain(`Created on live (run prefix ${report.runPrefix}):`);
      const names: string[] = report.created.flatMap((c: { names: string[] }) => c.names);
      expect(names).toContain(`${report.runPrefix}dup`);
      for (const name of names) expect(name.startsWith(report.runPrefix), name).toBe(true);
      expect(report.checks.find((c: { check: string }) => c.check === 'already_converted').verdict).toBe(
        'passed',
      );
    } finally {
      await server.close();
    }
  });
});
