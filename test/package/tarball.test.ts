import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
