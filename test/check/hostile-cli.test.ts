import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import { tempDirForFile } from '../support/temp-dir.js';
import { startPrismMock } from '../../src/mock/prism.js';
import { GOOD_TOKEN, startConforming } from './broken/conforming.js';
import { startBigJson } from './hostile/big-json.js';
import { startDripHeaders } from './hostile/drip.js';
import { startEchoEverywhere } from './hostile/echo-everywhere.js';
import { startRetryLoop } from './hostile/retry-loop.js';
import { test as it } from '../support/fixtures.js';
import { assertBuilt, bin, cleanEnv, root, runCli, type CliResult } from './cli-process.js';

const cli = (args: string[], timeout = 90_000): Promise<CliResult> => runCli(['check', ...args], { timeout });

let dir: string;
tempDirForFile('lp-hostile-', (made) => (dir = made));
beforeAll(() => assertBuilt());

/** Every substring of `token` of `n` characters. */
const pieces = (token: string, n: number) =>
  Array.from({ length: token.length - n + 1 }, (_, i) => token.slice(i, i + n));

describe('live-platform check against hostile servers, run as a process', () => {
  it('ends against a server that drips its headers, with progress lines on a non-terminal stderr', async () => {
    const server = await startDripHeaders();
    try {
      const { code, stdout, stderr, killed } = await cli([
        '--base-url',
        server.url,
        '--token',
        GOOD_TOKEN,
        '--request-timeout',
        '3000',
        '--concurrency',
        '4',
      ]);
      // It ended on its own (a drip never ends): not killed at cli()'s 90 s.
      expect(killed).toBe(false);
      expect(code).toBe(1);
      expect(stdout).toContain('no complete response within 3000 ms');
      expect(stderr).toMatch(/^checking live: \d+\/\d+ cases, last [A-Za-z]+, \d+ failures so far$/m);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('sends at most 40 getTask requests to a getTask that always answers 429 Retry-After: 0', async () => {
    const server = await startRetryLoop();
    try {
      const { code, stdout, killed } = await cli([
        '--base-url',
        server.url,
        '--token',
        GOOD_TOKEN,
        '--allow-writes',
        '--task-timeout',
        '10000',
        '--request-timeout',
        '5000',
      ]);
      expect(killed).toBe(false);
      expect(code).toBe(1);
      expect(stdout).toMatch(/getTask answered 429 to all \d+ polls of task .* within 10000 ms/);
      expect(server.getTaskRequests()).toBeLessThanOrEqual(40);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('ends at once on Ctrl-C against a URL, exit 130, and mentions no servers it did not start', async ({
    serve,
  }) => {
    const server = await serve(startDripHeaders());
    // Requests in flight drip for ever and time out only after 10 minutes: the run can end before
    // the killer below (60 s, under the test's timeout) only by honouring Ctrl-C at once.
    const child = spawn(
      process.execPath,
      [bin, 'check', '--base-url', server.url, '--request-timeout', '600000'],
      { cwd: root, env: cleanEnv({ LIVE_PLATFORM_TOKEN: GOOD_TOKEN }) },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Interrupted once a request is in flight (the drip server holds a connection of it).
    await expect.poll(() => server.connections(), { timeout: 30_000 }).toBeGreaterThan(0);
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    clearTimeout(killer);
    expect(exit).toEqual({ code: 130, signal: null });
    expect(stderr).toContain('interrupted');
    expect(stderr).not.toMatch(/server/);
  }, 90_000);

  for (const token of ['Sk7-Vq2Lm9Xw4Rt8Np3Zc', 'Zq~']) {
    it(`writes no part of a ${token.length}-character token a server echoes across every cut, in bodies and headers`, async () => {
      const server = await startEchoEverywhere();
      try {
        const junit = join(dir, `echo-${token.length}.xml`);
        const json = join(dir, `echo-${token.length}.json`);
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
        expect(await readFile(json, 'utf8')).toContain('[redacted]');
        const forbidden = token.length >= 8 ? pieces(token, 8) : [token];
        for (const text of [stdout, stderr, await readFile(junit, 'utf8'), await readFile(json, 'utf8')])
          for (const piece of forbidden) expect(text).not.toContain(piece);
      } finally {
        await server.close();
      }
    }, 120_000);
  }

  it('exits 2 when the token is refused, quoting the 401 and never the token', async () => {
    const server = await startConforming();
    const token = 'expired-token-4471';
    try {
      const json = join(dir, 'refused.json');
      const { code, stdout, stderr } = await cli([
        '--base-url',
        server.url,
        '--token',
        token,
        '--json',
        json,
      ]);
      expect(code).toBe(2);
      expect(stdout).toMatch(/^live \(.*\): not judged, a setup problem/m);
      expect(JSON.parse(await readFile(json, 'utf8')).targets[0].setupProblem).toMatch(/refused the token/);
      expect(stderr).toMatch(
        /the server refused the token \(401, WWW-Authenticate: Bearer error="invalid_token"\)/,
      );
      expect(stdout + stderr).not.toContain(token);
    } finally {
      await server.close();
    }
  });

  it('exits 2 asking whether --base-url is the API root when it carries an extra /api', async () => {
    const server = await startConforming();
    try {
      const { code, stderr } = await cli(['--base-url', `${server.url}/api`, '--token', GOOD_TOKEN]);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /is --base-url \(.*\/api\) the API root\? It tried GET http:\/\/127\.0\.0\.1:\d+\/api\/api\//,
      );
    } finally {
      await server.close();
    }
  });

  it('writes the JSON report to stdout with --json -, and the table to stderr', async () => {
    const server = await startConforming();
    try {
      const { code, stdout, stderr } = await cli([
        '--base-url',
        server.url,
        '--token',
        GOOD_TOKEN,
        '--json',
        '-',
      ]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).conformant).toBe(true);
      expect(stderr).toMatch(/^live \(http:\/\/127\.0\.0\.1:\d+\): conformant/m);
    } finally {
      await server.close();
    }
  });

  it('checks a Prism mock started elsewhere as a mock with --target mock: the built-in run’s skips', async () => {
    const mock = await startPrismMock();
    try {
      const { code, stdout } = await cli([
        '--base-url',
        mock.url,
        '--token',
        'mock-token',
        '--target',
        'mock',
      ]);
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(/^operation\s+check\s+mock$/m);
      expect(stdout).toContain('Prism is stateless');
      expect(stdout, stdout).toContain('Prism accepts any bearer token');
      const bad = await cli(['--target', 'prism']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--target must be one of live, sandbox, mock/);
    } finally {
      await mock.close();
    }
  }, 120_000);

  it('stays under 800 MB peak RSS on 4 MiB JSON answers, exit 1, reports written', async () => {
    const server = await startBigJson();
    try {
      const junit = join(dir, 'big.xml');
      const json = join(dir, 'big.json');
      const child = spawn(
        process.execPath,
        [bin, 'check', '--base-url', server.url, '--allow-writes', '--junit', junit, '--json', json],
        {
          cwd: root,
          env: cleanEnv({ LIVE_PLATFORM_TOKEN: GOOD_TOKEN }),
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      child.stderr.resume();
      // VmHWM is the process's peak resident set so far; the last reading before exit is the peak.
      let peakKb = 0;
      const poll = setInterval(() => {
        void readFile(`/proc/${child.pid}/status`, 'utf8')
          .then((s) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0))))
          .catch(() => undefined);
      }, 50);
      const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearInterval(poll);
      clearTimeout(killer);
      expect(code).toBe(1);
      expect(peakKb).toBeGreaterThan(0);
      expect(peakKb / 1024).toBeLessThan(800);
      expect(JSON.parse(await readFile(json, 'utf8')).conformant).toBe(false);
      expect(await readFile(junit, 'utf8')).toContain('<testsuites');
      console.log(`peak RSS on 4 MiB JSON answers: ${Math.round(peakKb / 1024)} MB`);
    } finally {
      await server.close();
    }
  }, 180_000);
});
