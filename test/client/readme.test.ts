// The client guide (docs/client.md) is code: every ```ts block is type-checked
// against the package's real types, and the provisioning flow (```ts provision) runs against the
// sandbox. A snippet that drifts from the API fails here, not in a reader's editor.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { codeBlocks } from '../support/snippets.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// After ```ts a marker may say how test/docs/snippets.test.ts runs the block (run, run-with-lp, provision).
const blocks = codeBlocks('docs/client.md').map((b) => ({
  provision: b.marker === 'provision',
  code: b.code,
}));
const entry = join(root, 'src/index.ts');

/** Type-checks the snippets as modules of this package, `live-platform-openapi` mapped to src/. */
function typeCheck(snippets: string[]): string[] {
  const dir = join(root, 'test/client/.readme-snippets');
  const files = new Map(snippets.map((code, i) => [join(dir, `snippet-${i + 1}.ts`), code]));
  // The later snippets use the `lp` the first one creates, as the guide says.
  const globals = join(dir, 'globals.d.ts');
  files.set(
    globals,
    "declare const lp: import('live-platform-openapi').LivePlatformClient;\n" +
      // The Entra ID recipe's two members of @azure/identity, typed as its TokenCredential; it is not
      // a dependency, so its real types are not installed.
      "declare module '@azure/identity' {\n" +
      '  export interface AccessToken { token: string; expiresOnTimestamp: number }\n' +
      '  export class ClientSecretCredential {\n' +
      '    constructor(tenantId: string, clientId: string, clientSecret: string, options?: object);\n' +
      '    getToken(scopes: string | string[], options?: object): Promise<AccessToken | null>;\n' +
      '  }\n' +
      '}\n',
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    paths: {
      'live-platform-openapi': [entry],
      'live-platform-openapi/sandbox': [join(root, 'src/sandbox/index.ts')],
      'live-platform-openapi/check': [join(root, 'src/check/index.ts')],
    },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSource = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang, true) : getSource(f, lang, ...rest);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName.slice(dir.length + 1)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('docs/client.md', () => {
  let sandbox: RunningSandbox;
  const tmp = join(root, '.tmp', `readme-${process.pid}`);
  beforeAll(async () => {
    sandbox = await startSandbox({ taskDurationMs: 50 });
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has snippets, one of them the provisioning flow in under 20 lines', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const flows = blocks.filter((b) => b.provision);
    expect(flows).toHaveLength(1);
    expect(flows[0]!.code.trimEnd().split('\n').length).toBeLessThan(20);
  });

  it('type-checks every snippet against the real types', () => {
    expect(typeCheck(blocks.map((b) => b.code))).toEqual([]);
  });

  it("type-checks the TypeScript of README.md, docs/sandbox.md and docs/from-sandbox-to-tenant.md too, as a reader's editor does", () => {
    const others = ['README.md', 'docs/sandbox.md', 'docs/from-sandbox-to-tenant.md'].flatMap((page) =>
      codeBlocks(page),
    );
    expect(others.length).toBeGreaterThanOrEqual(3);
    expect(typeCheck(others.map((b) => b.code))).toEqual([]);
  });

  it('catches a snippet that drifts from the API (the check can fail)', () => {
    const wrong =
      "import { createLivePlatformClient } from 'live-platform-openapi';\ncreateLivePlatformClient({ baseUrl: 'x', tokn: 'y' });\n";
    expect(typeCheck([wrong]).join()).toMatch(/tokn/);
  });

  // test/docs/snippets.test.ts runs the sandbox branch (the OVOC id from the control plane); this one runs
  // the tenant branch, where the reader gives OVOC_CUSTOMER_ID, in-process against src/.
  it('runs the provisioning flow as a tenant user would, with OVOC_CUSTOMER_ID given', async () => {
    const flow = blocks.find((b) => b.provision)!.code;
    const js = ts
      .transpileModule(flow, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      })
      .outputText.replace(/'live-platform-openapi'/g, JSON.stringify(pathToFileURL(entry).href));
    mkdirSync(tmp, { recursive: true });
    const file = join(tmp, 'provision.ts');
    writeFileSync(file, js);
    const env = { ...process.env };
    Object.assign(process.env, {
      LIVE_PLATFORM_BASE_URL: sandbox.url,
      LIVE_PLATFORM_TOKEN: sandbox.tokens[0],
      OVOC_CUSTOMER_ID: '85844',
    });
    const lines: unknown[][] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      console.log = log;
      process.env = env;
    }
    const state = await (
      await fetch(`${sandbox.url}/_sandbox/state`, {
        headers: { authorization: `Bearer ${sandbox.tokens[0]}` },
      })
    ).json();
    expect(state.leads[0].converted).toBe(true);
    expect(lines.flat().join(' ')).toContain('Brad984');
  });
});
