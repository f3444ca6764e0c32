import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandbox, type CommandIo } from '../../src/cli/commands/sandbox.js';
import { main } from '../../src/cli/main.js';
import { DEFAULT_SANDBOX_TOKEN, type RunningSandbox } from '../../src/sandbox/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the command in-process; stops the server as soon as it has printed its banner. */
async function runInProcess(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let server: RunningSandbox | undefined;
  const io: CommandIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    async until(close, s) {
      server = s;
      const res = await fetch(`${s.url}/api/v2/task/tsk_185510`, {
        headers: {
          authorization: `Bearer ${argv.includes('--token') ? argv[argv.indexOf('--token') + 1] : DEFAULT_SANDBOX_TOKEN}`,
        },
      });
      out.push(`status ${res.status}`);
      await close();
      return 0;
    },
  };
  const code = await runSandbox(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), server };
}

describe('src/cli/commands/sandbox.ts: live-platform sandbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the URL and the default token, and serves it', async () => {
    const r = await runInProcess(['--port', '0', '--task-duration', '10', '--log']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(r.out).toContain(`Bearer ${DEFAULT_SANDBOX_TOKEN}`);
    expect(r.out).toContain('status 200');
    expect(r.err).toMatch(/GET \/api\/v2\/task\/tsk_185510 200/);
  });

  it("points at the sandbox guide's control-plane section, a file that exists, not at README", async () => {
    const r = await runInProcess(['--port', '0']);
    const line = r.out.split('\n').find((l) => l.startsWith('Control plane:'))!;
    expect(line).not.toContain('README');
    const [, section, guide] = /"([^"]+)" in (\S+)\)/.exec(line) ?? [];
    expect(guide).toBe('docs/sandbox.md'); // relative to where it runs: here the repository
    expect(readFileSync(join(root, guide!), 'utf8')).toContain(`\n## ${section}\n`);
    expect(section).toBe('Control plane');
  });

  it('never prints a custom token, and refuses the default one then', async () => {
    const r = await runInProcess([
      '--port',
      '0',
      '--token',
      'my-secret-token',
      '--token',
      'second-secret',
      '--log',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('my-secret-token');
    expect(r.out).not.toContain('second-secret');
    expect(r.err).toMatch(/GET \/api\/v2\/task\/tsk_185510 200/);
    expect(r.err).not.toContain('secret');
    expect(r.out).not.toContain(DEFAULT_SANDBOX_TOKEN);
    expect(r.out).toContain('status 200');
    expect(r.server?.tokens).toEqual(['my-secret-token', 'second-secret']);
  });

  it('exits 2 with a message that says what to do on bad flags', async () => {
    const seed = join(dir, 'bad-seed.json');
    writeFileSync(seed, '{"leads": [{"msTenantId": "x"}]}');
    const cases: [string[], RegExp][] = [
      [['--port', 'abc'], /--port must be a whole number/],
      [['--port', '70000'], /--port must be a whole number/],
      [['--task-duration=-5'], /--task-duration must be a whole number/],
      [['--task-duration', '-5'], /--task-duration must be a whole number/],
      [['--task-duration', 'soon'], /--task-duration/],
      [['--token', 'has space'], /--token must be/],
      [['--seed', join(dir, 'missing.json')], /--seed: cannot read/],
      [['--seed', seed], /--seed: .*msTenantId must be a uuid/],
      [['--bogus'], /Unknown option '--bogus'\.\nRun "live-platform sandbox --help" for its options\.$/],
      [['--port'], /--port needs a value\./],
      [['--max-tasks', '0'], /--max-tasks must be a whole number of at least 1/],
      [['--max-customers', 'lots'], /--max-customers must be a whole number/],
      [['--drain-timeout', '4294967296'], /--drain-timeout must be at most 2147483647 ms/],
      [['--headers-timeout', '20000'], /--headers-timeout must not exceed --request-timeout/],
    ];
    for (const [argv, message] of cases) {
      const errors: string[] = [];
      const original = console.error;
      // main() reports through console.error; collect it for this one call.
      console.error = (line: string) => errors.push(String(line));
      let code: number;
      try {
        code = await main(['sandbox', ...argv]);
      } finally {
        console.error = original;
      }
      expect(code, argv.join(' ')).toBe(2);
      expect(errors.join('\n'), argv.join(' ')).toMatch(message);
    }
  });

  it('logs no requests without --log', async () => {
    const r = await runInProcess(['--port', '0']);
    expect(r.out).toContain('status 200');
    expect(r.err).toBe('');
  });

  it('explains a port in use', async () => {
    const first = await runInProcess(['--port', '0']);
    const held = await import('node:net').then(
      (net) =>
        new Promise<import('node:net').Server>((resolve) => {
          const s = net.createServer();
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    );
    const port = (held.address() as import('node:net').AddressInfo).port;
    try {
      await expect(
        runSandbox(['--port', String(port)], { out: () => {}, err: () => {}, until: async () => 0 }),
      ).rejects.toThrow(
        /port \d+ on 127\.0\.0\.1 is already in use; stop what listens there, or choose another with --port/,
      );
    } finally {
      held.close();
    }
    expect(first.code).toBe(0);
  });

  it('prints its usage with --help', async () => {
    const out: string[] = [];
    expect(
      await runSandbox(['--help'], { out: (l) => out.push(l), err: () => {}, until: async () => 0 }),
    ).toBe(0);
    expect(out.join('\n')).toContain('--task-duration');
    expect(out.join('\n')).toMatch(
      /--max-tasks\s+tasks kept; the oldest finished one goes at the cap \(default 50000\)/,
    );
    expect(out.join('\n')).toContain('--drain-timeout');
  });

  it('passes cap flags to the sandbox', async () => {
    const out: string[] = [];
    let state: any;
    await runSandbox(
      ['--port', '0', '--max-tasks', '123', '--max-connections', '50', '--drain-timeout', '100'],
      {
        out: (l) => out.push(l),
        err: () => {},
        async until(close, s) {
          const res = await fetch(`${s.url}/_sandbox/state?limit=1`, {
            headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
          });
          state = await res.json();
          await close();
          return 0;
        },
      },
    );
    expect(state.limits).toMatchObject({
      maxTasks: 123,
      maxConnections: 50,
      drainTimeoutMs: 100,
      maxLeads: 50_000,
    });
  });

  describe('bin/live-platform.js (built)', () => {
    beforeAll(() => {
      // `npm test` builds first; a lone run of this file builds what it needs.
      if (!existsSync(join(root, 'dist/cli/commands/sandbox.js'))) {
        spawnSync(
          process.execPath,
          [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
          { cwd: root },
        );
      }
    }, 120_000);

    it('prints the URL it listens on and stops on SIGTERM', async () => {
      const child = spawn(process.execPath, ['bin/live-platform.js', 'sandbox', '--port', '0'], {
        cwd: root,
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d) => {
            out += d;
            const m = /listening on (http:\/\/\S+)/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.once('exit', (code) => reject(new Error(`exited ${code} before printing its URL: ${out}`)));
        });
        const res = await fetch(`${url}/api/v2/task/tsk_185510`, {
          headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
        });
        expect(res.status).toBe(200);
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('exits 2 on a bad flag', () => {
      const r = spawnSync(process.execPath, ['bin/live-platform.js', 'sandbox', '--port', 'nope'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--port must be a whole number');
    });

    it('refuses to start with the public default token on an address other machines reach (exit 2, before listening)', () => {
      for (const host of ['0.0.0.0', '::', '192.0.2.1', 'example.internal']) {
        const r = spawnSync(
          process.execPath,
          ['bin/live-platform.js', 'sandbox', '--port', '0', '--host', host],
          { cwd: root, encoding: 'utf8', timeout: 20_000 },
        );
        expect(r.status, host).toBe(2);
        expect(r.stderr, host).toMatch(
          /reachable from other machines.*pass --token with a secret of your own/,
        );
        expect(r.stdout, host).not.toContain('listening');
      }
      // The same token passed on purpose is still the public one.
      const explicit = spawnSync(
        process.execPath,
        [
          'bin/live-platform.js',
          'sandbox',
          '--port',
          '0',
          '--host',
          '0.0.0.0',
          '--token',
          DEFAULT_SANDBOX_TOKEN,
        ],
        { cwd: root, encoding: 'utf8', timeout: 20_000 },
      );
      expect(explicit.status).toBe(2);
    });
  });
});
