import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSandbox } from '../support/sandbox-process.js';
import { codeBlock } from '../support/snippets.js';

const root = join(import.meta.dirname, '../..');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });

/** The README's "A first call" set-up, one command a line: the steps the consumer folder is made with. */
const firstCallSteps = codeBlock('README.md', 'sh', 'first-call')
  .code.split('\n')
  .map((line) => line.replace(/#.*$/, '').trim())
  .filter(Boolean);

/** The environment a reader has: none of the developer's LIVE_PLATFORM_* variables. */
const readerEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIVE_PLATFORM_')));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lp-consumer-'));
  // Where README's Install leaves the tarball: packed in a clone, ./live-platform-openapi, inside the
  // project. `npm test` builds dist/ first; --ignore-scripts keeps pack from rebuilding it under the suite.
  const clone = join(dir, 'live-platform-openapi');
  mkdirSync(clone);
  npm(['pack', '--ignore-scripts', '--pack-destination', clone], root);
  // The consumer is made by README's steps exactly, so it is what `npm init -y` makes (CommonJS).
  // Only the cache flags are added, so the test installs from npm's cache when it can.
  for (const step of firstCallSteps) {
    const [command, ...args] = step.split(/\s+/);
    if (command !== 'npm')
      throw new Error(`README's first-call steps: only npm commands run here, not ${step}`);
    npm(args[0] === 'install' ? [...args, '--no-audit', '--no-fund', '--prefer-offline'] : args, dir);
  }
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README.md: A first call, in a fresh `npm init -y` project with the tarball', () => {
  it('the steps make a CommonJS project that holds the package and tsx', () => {
    expect(firstCallSteps[0]).toBe('npm init -y');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      type?: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    expect(pkg.type ?? 'commonjs').toBe('commonjs');
    expect(pkg.dependencies).toHaveProperty('live-platform-openapi');
    expect(pkg.devDependencies).toHaveProperty('tsx');
  });

  it('runs as written against the installed sandbox, non-interactively, and prints the task', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## A first call'), readme.indexOf('## The operations'));
    expect(section).toContain('`npx live-platform sandbox`');
    const [, file, command] = /save this as `([^`]+)` and\s+run it with `([^`]+)`/.exec(section) ?? [];
    expect(command).toBe(`npx tsx ${file}`);
    writeFileSync(join(dir, file!), codeBlock('README.md', 'ts', 'run').code);

    // `npx live-platform sandbox` runs the installed bin; on a free port here, beside other tests.
    const bin = join(dir, 'node_modules/.bin/live-platform');
    const sandbox = await spawnSandbox(process.execPath, [bin, 'sandbox', '--port', '0'], {
      cwd: dir,
      env: readerEnv(),
    });
    try {
      const [npx, ...args] = command!.split(' ');
      // npm_config_yes=false: npx may not install anything, where a terminal would stop at its prompt.
      const { stdout } = await promisify(execFile)(npx!, args, {
        cwd: dir,
        env: { ...readerEnv(), LIVE_PLATFORM_BASE_URL: sandbox.url, npm_config_yes: 'false' },
        timeout: 60_000,
      });
      expect(stdout.trim()).toBe('CompletedSuccess succeeded');
      // The banner names the sandbox guide where this project has it.
      const guide = 'node_modules/live-platform-openapi/docs/sandbox.md';
      expect(sandbox.output()).toContain(`"Control plane" in ${guide})`);
      expect(readFileSync(join(dir, guide), 'utf8')).toContain('\n## Control plane\n');
    } finally {
      sandbox.proc.kill('SIGTERM');
      await sandbox.exited;
    }
  }, 90_000);

  it('loads every entry with require() from a CommonJS file (Node ≥ 20.19: require(esm)), as README says', () => {
    const install = readFileSync(join(root, 'README.md'), 'utf8').split('## Install')[1]!.split('\n## ')[0]!;
    expect(install).toContain("`require('live-platform-openapi')`");
    expect(install).not.toMatch(/ESM only|no CommonJS/i);
    writeFileSync(
      join(dir, 'require.js'),
      `const entries = ['live-platform-openapi', 'live-platform-openapi/sandbox', 'live-platform-openapi/check', 'live-platform-openapi/validation'];
console.log(JSON.stringify(Object.fromEntries(entries.map((e) => [e, Object.keys(require(e)).length > 0]))));
const { createLivePlatformClient } = require('live-platform-openapi');
console.log(typeof createLivePlatformClient({ baseUrl: 'http://127.0.0.1:4020', token: 't' }).getTask);
`,
    );
    const out = execFileSync(process.execPath, ['require.js'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    const [loaded, getTask] = out.trim().split('\n');
    expect(JSON.parse(loaded!)).toEqual({
      'live-platform-openapi': true,
      'live-platform-openapi/sandbox': true,
      'live-platform-openapi/check': true,
      'live-platform-openapi/validation': true,
    });
    expect(getTask).toBe('function');
  });
});

describe('package.json: the packed tarball', () => {
  it('installs without Prism or Redocly (they are optional peers)', () => {
    // tsx is README's first-call step; it brings esbuild, never Prism or Redocly.
    const modules = join(dir, 'node_modules');
    expect(existsSync(join(modules, 'live-platform-openapi/dist/index.js'))).toBe(true);
    expect(existsSync(join(modules, '@stoplight'))).toBe(false);
    expect(existsSync(join(modules, '@redocly'))).toBe(false);
  });

  it('runs from the installed package: the client against its own sandbox, and the CLI', () => {
    writeFileSync(
      join(dir, 'smoke.mjs'),
      `import { createLivePlatformClient } from 'live-platform-openapi';
import { startSandbox, DEFAULT_SANDBOX_TOKEN } from 'live-platform-openapi/sandbox';
import { checkTarget } from 'live-platform-openapi/check';
const sandbox = await startSandbox({ taskDurationMs: 20 });
try {
  const lp = createLivePlatformClient({ baseUrl: sandbox.url, token: DEFAULT_SANDBOX_TOKEN, validateResponses: true });
  const task = await lp.getTask('tsk_185510');
  console.log(JSON.stringify({ status: task.status, checker: typeof checkTarget }));
} finally {
  await sandbox.close();
}
`,
    );
    const out = execFileSync(process.execPath, ['smoke.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ status: 'CompletedSuccess', checker: 'function' });
    const help = execFileSync(process.execPath, [join(dir, 'node_modules/.bin/live-platform'), '--help'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(help).toMatch(/check\s+check a server against the contract/);
  });

  it('holds LICENSE, the guides the README links to, and the sources its source maps name', () => {
    const pkg = join(dir, 'node_modules/live-platform-openapi');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    for (const guide of ['client', 'sandbox', 'checker', 'mock', 'documentation'])
      expect(existsSync(join(pkg, `docs/${guide}.md`)), guide).toBe(true);
    const maps = (readdirSync(join(pkg, 'dist'), { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.map'),
    );
    expect(maps.length).toBeGreaterThan(10);
    const missing = maps.flatMap((map) => {
      const file = join(pkg, 'dist', map);
      const { sources } = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[] };
      return sources.filter((s) => !existsSync(resolve(dirname(file), s))).map((s) => `${map} -> ${s}`);
    });
    expect(missing).toEqual([]);
  });

  it('the bin without Prism: --version, and check runs the sandbox alone and says why the mock was skipped', () => {
    // What `npx live-platform ...` runs in the consumer folder; started with node, as the suite rules ask.
    const bin = join(dir, 'node_modules/.bin/live-platform');
    const env = readerEnv();
    const version = execFileSync(process.execPath, [bin, '--version'], { cwd: dir, encoding: 'utf8', env });
    const { version: expected } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.trim()).toBe(expected);
    // execFileSync throws on a non-zero exit, so reaching the expectations means exit 0.
    const out = execFileSync(process.execPath, [bin, 'check'], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toContain('mock: skipped because Prism is not installed');
    expect(out).toContain('npm install --save-dev @stoplight/prism-cli');
    expect(out).toMatch(/^sandbox \(http:\/\/127\.0\.0\.1:\d+\): conformant/m);
    expect(out).not.toMatch(/^mock \(/m);
  }, 150_000);

  it('type-checks a strict consumer with no `any` in bodies or responses', () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          skipLibCheck: false,
        },
        // .mts: an ES module in the CommonJS project README's steps make.
        files: ['consumer.mts'],
      }),
    );
    writeFileSync(
      join(dir, 'consumer.mts'),
      `import { createLivePlatformClient, type Task } from 'live-platform-openapi';
type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T,>(_: T, ok: IsAny<T> extends false ? true : never) => ok;

export async function provision(): Promise<Task | undefined> {
  const lp = createLivePlatformClient({ baseUrl: 'https://live.example.com', token: async () => 'jwt' });
  const started = await lp.POST('/api/v3/customer', {
    body: {
      configurationName: 'OcEssential_IPGROUP_TYPE',
      customerShortName: 'SIPTest4',
      msTenantId: 'f79a7f93-5ef7-47d2-92c8-e4570503cec3',
      scriptParameters: { ProxySet: 'SIPTrunk', OnlinePstnGateway: 'oc1.sandbox2.audiocodes.be' },
    },
  });
  notAny(started.data, true);
  if (!started.data) return undefined;
  // The lead start is {taskId} or {jobId} (a sibling vendor page), so a consumer reads either.
  const taskId = 'taskId' in started.data ? started.data.taskId : started.data.jobId;
  notAny(taskId, true);
  const { data, error } = await lp.GET('/api/v2/task/{taskId}', { params: { path: { taskId } } });
  notAny(data, true);
  notAny(error, true);
  // @ts-expect-error customerShortName is required
  await lp.POST('/api/v3/customer', { body: { configurationName: 'OcEssential_IPGROUP_TYPE', msTenantId: 'x', scriptParameters: { ProxySet: 'a', OnlinePstnGateway: 'b' } } });
  // @ts-expect-error the OVOC id is a number
  await lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: '85844' } } });
  return data;
}
`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout);
    }
    expect(out).toBe('');
  });
});
