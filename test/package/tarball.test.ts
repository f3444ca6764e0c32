import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lp-consumer-'));
  // `npm test` builds dist/ first; --ignore-scripts keeps pack from rebuilding it under the suite.
  npm(['pack', '--ignore-scripts', '--pack-destination', dir], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], dir);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package.json: the packed tarball', () => {
  it('installs without Prism or Redocly (they are optional peers)', () => {
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
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('LIVE_PLATFORM_')),
    );
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
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { createLivePlatformClient, type Task } from 'live-platform-openapi';
type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T>(_: T, ok: IsAny<T> extends false ? true : never) => ok;

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
