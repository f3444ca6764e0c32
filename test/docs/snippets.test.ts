// The runnable snippets of README.md and docs/*.md run here as a reader runs them: each in its own
// Node process, from a folder where `live-platform-openapi` is an installed package (a link to
// this repository, so its dist/ is used: `npm test` builds first), against a fresh sandbox.
// Types are erased with the TypeScript compiler, as `npx tsx` would. Markers after ```ts:
//   run          runs alone
//   provision    runs alone; converts the sandbox's lead, so a second run needs a reset
//   run-with-lp  runs below the docs/client.md first snippet's client (`lp`), as that guide says
//   vitest       a test file, run with vitest
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_TOKEN, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { codeBlocks, repositoryRoot } from '../support/snippets.js';

const root = repositoryRoot;

const pages = [
  'README.md',
  'docs/client.md',
  'docs/sandbox.md',
  'docs/checker.md',
  'docs/mock.md',
  'docs/from-sandbox-to-tenant.md',
];
const all = pages.flatMap((page) => codeBlocks(page));
const runnable = (marker: string) => all.filter((s) => s.marker === marker);

/** The client the later docs/client.md snippets use, written as its first snippet makes it. */
const LP_PRELUDE = `import { createLivePlatformClient as __create } from 'live-platform-openapi';
const lp = __create({ baseUrl: process.env.LIVE_PLATFORM_BASE_URL!, token: process.env.LIVE_PLATFORM_TOKEN! });
`;

let dir: string;
let sandbox: RunningSandbox;
const auth = { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lp-snippets-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/live-platform-openapi'), 'dir');
  symlinkSync(join(root, 'node_modules/vitest'), join(dir, 'node_modules/vitest'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'reader', private: true, type: 'module' }));
  sandbox = await startSandbox({ taskDurationMs: 50 });
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers: auth });
});

function node(
  args: string[],
  timeout = 60_000,
  cwd = dir,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('LIVE_PLATFORM_') && k !== 'OVOC_CUSTOMER_ID'),
  );
  Object.assign(env, { LIVE_PLATFORM_BASE_URL: sandbox.url, LIVE_PLATFORM_TOKEN: DEFAULT_SANDBOX_TOKEN });
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env, timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Erases the types (what tsx does) and runs the file with node, as a reader would. */
function runSnippet(code: string, name: string) {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  writeFileSync(join(dir, `${name}.mjs`), js);
  return node([`${name}.mjs`]);
}

describe('snippets of README.md and docs/*.md run as written against the sandbox', () => {
  it('finds the runnable snippets of each page', () => {
    expect(runnable('run').some((s) => s.page === 'README.md')).toBe(true);
    expect(runnable('provision')).toHaveLength(1);
    expect(runnable('run-with-lp').length).toBeGreaterThanOrEqual(2);
    expect(runnable('vitest').filter((s) => s.page === 'docs/sandbox.md')).toHaveLength(1);
  });

  it.each(runnable('run').map((s, i) => [`${s.page} #${i + 1}`, s] as const))(
    '%s runs',
    async (_, snippet) => {
      const { code, stderr } = await runSnippet(snippet.code, 'run');
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  );

  it('README.md: the first call prints the completed fixture task', async () => {
    const first = runnable('run').find((s) => s.page === 'README.md')!;
    const { code, stdout } = await runSnippet(first.code, 'first-call');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('CompletedSuccess succeeded');
  });

  it.each(runnable('run-with-lp').map((s, i) => [`${s.page} #${i + 1}`, s] as const))(
    '%s runs below the guide client, and ends',
    async (_, snippet) => {
      const { code, stderr } = await runSnippet(LP_PRELUDE + snippet.code, 'with-lp');
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  );

  it('docs/client.md: the Tasks snippet waits on tasks that end, not the forever-InProgress fixture', () => {
    const tasks = runnable('run-with-lp').find((s) => s.code.includes('beginImportCustomer'))!;
    expect(tasks.code).not.toContain('wst_1a93b0c9-5ab0-4d3f-af25-c0f18ad0aa2e');
  });

  it('docs/client.md: the provisioning flow prints the OVOC customer it imported; a rerun asks for a reset', async () => {
    const flow = runnable('provision')[0]!.code;
    const before = await (await fetch(`${sandbox.url}/_sandbox/state`, { headers: auth })).json();
    const known = new Set((before.ovocCustomers as { id: number }[]).map((c) => c.id));

    const first = await runSnippet(flow, 'provision');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const state = await (await fetch(`${sandbox.url}/_sandbox/state`, { headers: auth })).json();
    const created = (state.ovocCustomers as { id: number; name: string }[]).filter((c) => !known.has(c.id));
    expect(created).toHaveLength(1);
    expect(first.stdout.split(' ').slice(0, 2)).toEqual([String(created[0]!.id), created[0]!.name]);
    expect(first.stdout).not.toContain('Brad984'); // the fixture, not the imported customer

    const again = await runSnippet(flow, 'provision');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('POST /_sandbox/reset');

    await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers: auth });
    expect((await runSnippet(flow, 'provision')).code).toBe(0);
  });

  it('docs/sandbox.md: the "In your own tests" file passes under vitest, in a project and in a clone, and asserts what it claims', async () => {
    const example = runnable('vitest').find((s) => s.page === 'docs/sandbox.md')!;
    expect(example.code.match(/expect\(/g)?.length).toBeGreaterThanOrEqual(3);
    // Where the guide says to save it and the command it says to run.
    const guide = readFileSync(join(root, 'docs/sandbox.md'), 'utf8');
    const [, file, command] = /save it as `([^`]+)` and run `([^`]+)`/.exec(guide) ?? [];
    const [npx, vitestCommand, ...args] = command!.split(' ');
    expect([npx, vitestCommand]).toEqual(['npx', 'vitest']);
    const vitest = join(dir, 'node_modules/vitest/vitest.mjs');
    /** The guide's command in `cwd`, with a JSON report to read (the reporter flag is the test's). */
    const runAsWritten = async (cwd: string) => {
      mkdirSync(dirname(join(cwd, file!)), { recursive: true });
      writeFileSync(join(cwd, file!), example.code);
      const out = await node([vitest, ...args, '--reporter', 'json'], 120_000, cwd);
      return { code: out.code, json: JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as Record<string, number> };
    };

    // A reader's project: vitest with no configuration.
    const project = await runAsWritten(dir);
    expect(project.json).toMatchObject({ numPassedTests: 1, numFailedTests: 0 });
    expect(project.code).toBe(0);

    // A clone of this repository: vitest with the repository's configuration (which runs test/ only).
    const clone = join(dir, 'clone');
    mkdirSync(clone, { recursive: true });
    symlinkSync(join(dir, 'node_modules'), join(clone, 'node_modules'), 'dir');
    copyFileSync(join(root, 'vitest.config.ts'), join(clone, 'vitest.config.ts'));
    copyFileSync(join(root, 'tsconfig.json'), join(clone, 'tsconfig.json'));
    const inClone = await runAsWritten(clone);
    expect(inClone.json).toMatchObject({ numPassedTests: 1, numFailedTests: 0 });
    expect(inClone.code).toBe(0);

    // The same file fails when the sandbox does not behave as the test claims (here: no reset, so
    // the lead is already converted in the second test).
    const withoutReset = example.code.replace(/beforeEach\([\s\S]*?\n\}\);\n/, '');
    const test = example.code.slice(example.code.indexOf("it('converts"));
    expect(withoutReset).not.toContain('_sandbox/reset');
    writeFileSync(join(dir, 'lead-twice.test.ts'), `${withoutReset}\n${test.replace('the lead once', 'it again')}`);
    const broken = await node([vitest, 'run', '--root', dir, '--reporter', 'json', 'lead-twice.test.ts'], 120_000);
    expect(JSON.parse(broken.stdout.slice(broken.stdout.indexOf('{')))).toMatchObject({ numFailedTests: 1 });
  }, 240_000);
});

describe('links of README.md and the guides', () => {
  it('every relative link points at a file of the repository', () => {
    const broken: string[] = [];
    for (const page of [...pages, 'docs/README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'spec/introduction.md']) {
      const text = readFileSync(join(root, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(join(root, dirname(page), target!))) broken.push(`${page} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
