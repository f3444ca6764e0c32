// The docs' code samples compile against the real client types, and every operation has one: a sample
// that rots, or an operation added without a sample, fails here (and so in CI).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const samplesDir = join(root, 'samples');
const operations = JSON.parse(readFileSync(join(root, 'generated', 'operations.json'), 'utf8')) as Array<{
  operationId: string;
  method: string;
  path: string;
}>;

function loadSamplesConfig(): ts.ParsedCommandLine {
  const configPath = join(samplesDir, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, samplesDir, undefined, configPath);
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

let program: ts.Program | undefined;

/** tsc's diagnostics for these files under samples/tsconfig.json, formatted as tsc prints them. */
function compile(rootNames: string[]): string[] {
  const parsed = loadSamplesConfig();
  program = ts.createProgram({ rootNames, options: parsed.options, oldProgram: program });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.formatDiagnostic(d, formatHost).trim());
}

const sampleFiles = readdirSync(samplesDir).filter((f) => f.endsWith('.ts'));
const scratch = mkdtempSync(join(tmpdir(), 'live-platform-samples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('samples/ (the x-codeSamples of the docs)', () => {
  it('has one sample per operation in generated/operations.json, and no stray file', () => {
    const expected = operations.map((op) => `${op.operationId}.ts`).sort();
    const missing = expected.filter((f) => !sampleFiles.includes(f));
    const stray = sampleFiles.filter((f) => !expected.includes(f));
    expect(missing, 'add samples/<operationId>.ts for each of these operations').toEqual([]);
    expect(stray, 'rename to <operationId>.ts or delete').toEqual([]);
    expect(sampleFiles).toHaveLength(operations.length);
  });

  const cases = operations.map((op) => ({ ...op, file: `samples/${op.operationId}.ts` }));
  it.each(cases)('$file calls $method $path with the project client', (op) => {
    const source = readFileSync(join(samplesDir, `${op.operationId}.ts`), 'utf8');
    expect(source).toMatch(/import \{ createLivePlatformClient \} from 'live-platform-openapi';/);
    // The call of this very operation (not a copy-paste of another one).
    expect(source).toContain(`lp.${op.method.toUpperCase()}(`);
    expect(source).toContain(`'${op.path}'`);
    // A sample never carries a credential.
    expect(source).toMatch(/token: process\.env\.LIVE_PLATFORM_TOKEN!/);
    expect(source).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('compiles with zero diagnostics against the real client types (samples/tsconfig.json)', () => {
    const parsed = loadSamplesConfig();
    expect(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    expect(parsed.fileNames.map((f) => f.slice(samplesDir.length + 1)).sort()).toEqual(
      [...sampleFiles].sort(),
    );
    // 'live-platform-openapi' must resolve to the source, so a sample follows the client as it changes.
    expect(parsed.options.paths?.['live-platform-openapi']).toEqual(['../src/index.ts']);
    const diagnostics = compile(parsed.fileNames);
    expect(diagnostics, diagnostics.join('\n\n')).toEqual([]);
    const resolved = program!.getSourceFile(join(root, 'src', 'index.ts'));
    expect(resolved, 'the samples were not checked against src/index.ts').toBeDefined();
  });

  it('fails when a sample calls a path or passes a body the contract does not have', () => {
    // The same gate on two broken samples: it must be able to fail, or the test above proves nothing.
    const wrongPath = join(scratch, 'wrongPath.mts');
    writeFileSync(
      wrongPath,
      [
        "import { createLivePlatformClient } from 'live-platform-openapi';",
        "const lp = createLivePlatformClient({ baseUrl: 'http://127.0.0.1', token: 't' });",
        "await lp.GET('/api/v2/tasks/{taskId}', { params: { path: { taskId: 'tsk_1' } } });",
        '',
      ].join('\n'),
    );
    const wrongBody = join(scratch, 'wrongBody.mts');
    writeFileSync(
      wrongBody,
      [
        "import { createLivePlatformClient } from 'live-platform-openapi';",
        "const lp = createLivePlatformClient({ baseUrl: 'http://127.0.0.1', token: 't' });",
        "await lp.POST('/api/v3/customer', { body: { customerShortName: 'SIPTest4' } });",
        '',
      ].join('\n'),
    );
    const diagnostics = compile([wrongPath, wrongBody]);
    expect(diagnostics.some((d) => d.includes('wrongPath.mts'))).toBe(true);
    expect(diagnostics.some((d) => d.includes('wrongBody.mts'))).toBe(true);
  });
});
