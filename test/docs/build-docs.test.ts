// scripts/build-docs.mjs: the samples it injects and the offline fixes it applies to Redoc's page.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildDocs,
  CODE_SAMPLE_LABEL,
  CODE_SAMPLE_LANG,
  CURL_SAMPLE_LABEL,
  CURL_SAMPLE_LANG,
  curlSample,
  docsPaths,
  withIntroLinks,
  listOperations,
  makeOffline,
  offlineProblems,
  readSamples,
  specWithCodeSamples,
  type OpenApiLike,
} from '../../scripts/build-docs.mjs';
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from '../../src/sandbox/index.js';

const root = join(import.meta.dirname, '../..');
const spec = JSON.parse(readFileSync(docsPaths.spec, 'utf8')) as OpenApiLike;
const operationIds = listOperations(spec).map((op) => op.operationId);
const scratch = mkdtempSync(join(tmpdir(), 'live-platform-build-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function samplesDirWith(files: string[]): string {
  const dir = mkdtempSync(join(scratch, 'samples-'));
  for (const file of files) writeFileSync(join(dir, file), `// ${file}\n`);
  return dir;
}

/** The parts of Redoc's output that makeOffline works on, around a fake bundle. */
function redocPage({ logo = true, telemetry = false } = {}): string {
  const logoCode = logo
    ? 'src:e?`https://cdn.redoc.ly/redoc/logo-mini-full.svg`:`https://cdn.redoc.ly/redoc/logo-mini.svg`'
    : 'src:e?`x`:`y`';
  return [
    '<!doctype html><html><head>',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'" />`,
    '<style>/* THEME */</style></head><body><div id="redoc"></div>',
    `<script type="module">function y4(){return {${logoCode}}}`,
    `const __redoc_options = {"skipBundle":true,"disableTelemetry":${!telemetry}};</script>`,
    '</body></html>',
  ].join('\n');
}

describe('scripts/build-docs.mjs', () => {
  it('lists the five operations of generated/openapi.json', () => {
    expect(operationIds.sort()).toEqual(
      [
        'createCustomerFromLead',
        'createEssentialsCustomer',
        'getTask',
        'importCustomerFromOvoc',
        'verifyLcCustomer',
      ].sort(),
    );
  });

  it('refuses to build when an operation has no sample, naming the file to add', () => {
    const dir = samplesDirWith(operationIds.filter((id) => id !== 'getTask').map((id) => `${id}.ts`));
    expect(() => readSamples(spec, dir)).toThrow(/samples\/getTask\.ts is missing/);
  });

  it('refuses a sample that matches no operation', () => {
    const dir = samplesDirWith([...operationIds.map((id) => `${id}.ts`), 'getTasks.ts']);
    expect(() => readSamples(spec, dir)).toThrow(/samples\/getTasks\.ts matches no operationId/);
  });

  it('injects each samples/<operationId>.ts and a curl command as the operation x-codeSamples, into a copy', () => {
    const before = JSON.stringify(spec);
    const documented = specWithCodeSamples(spec, readSamples(spec));
    expect(JSON.stringify(spec), 'generated/openapi.json must stay untouched').toBe(before);
    for (const op of listOperations(documented)) {
      const source = readFileSync(join(docsPaths.samples, `${op.operationId}.ts`), 'utf8').trimEnd();
      expect(op.operation['x-codeSamples']).toEqual([
        { lang: CODE_SAMPLE_LANG, label: CODE_SAMPLE_LABEL, source },
        { lang: CURL_SAMPLE_LANG, label: CURL_SAMPLE_LABEL, source: curlSample(spec, op) },
      ]);
    }
    expect(CODE_SAMPLE_LANG).toBe('TypeScript');
    expect(CODE_SAMPLE_LABEL).toBe('live-platform-openapi');
  });

  it('builds each curl command from the contract: method, path with its examples, token, first request example', () => {
    const examples = (spec as unknown as { components: { examples: Record<string, { value: unknown }> } }).components
      .examples;
    for (const op of listOperations(spec)) {
      const curl = curlSample(spec, op);
      const [first, ...rest] = curl.split(' \\\n  ');
      expect(first).toMatch(new RegExp(`^curl${op.method === 'get' ? '' : ` -X ${op.method.toUpperCase()}`} "`));
      const url = /"\$LIVE_PLATFORM_BASE_URL([^"]+)"/.exec(first!)![1]!;
      expect(url).toMatch(new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/{}]+')}$`));
      expect(rest[0]).toBe('-H "Authorization: Bearer $LIVE_PLATFORM_TOKEN"');
      const body = (op.operation.requestBody as { content?: Record<string, { examples?: Record<string, { $ref: string }> }> })
        ?.content?.['application/json'];
      if (!body) {
        expect(rest).toHaveLength(1);
        continue;
      }
      const firstExample = Object.values(body.examples!)[0]!.$ref.split('/').pop()!;
      expect(rest[1]).toBe("-H 'Content-Type: application/json'");
      const data = /^--data-raw '([\s\S]*)'$/.exec(rest[2]!)![1]!;
      expect(JSON.parse(data)).toEqual(examples[firstExample]!.value);
    }
    // A quote in an example closes, escapes and reopens the shell's quotes.
    const quoted = structuredClone(spec) as typeof spec & { components: { examples: Record<string, { value: unknown }> } };
    quoted.components.examples['CreateCustomerFromLeadRequest']!.value = { customerShortName: "O'Brien" };
    const lead = listOperations(quoted).find((op) => op.operationId === 'createCustomerFromLead')!;
    expect(curlSample(quoted, lead)).toContain(`"O'\\''Brien"`);
  });

  it('runs each curl command as written, with the two variables set, against the sandbox', async () => {
    // curl reads $CURL_HOME/.curlrc: it makes curl print the status after the body, sample untouched.
    writeFileSync(join(scratch, '.curlrc'), '--silent\n--show-error\n--write-out "\\n%{http_code}"\n');
    const sandbox = await startSandbox({ taskDurationMs: 10 });
    try {
      const statuses: Record<string, number> = {};
      for (const op of listOperations(spec)) {
        const { stdout } = await promisify(execFile)('sh', ['-c', curlSample(spec, op)], {
          env: { PATH: process.env.PATH, CURL_HOME: scratch, LIVE_PLATFORM_BASE_URL: sandbox.url, LIVE_PLATFORM_TOKEN: DEFAULT_SANDBOX_TOKEN },
          timeout: 20_000,
        });
        const lines = stdout.split('\n');
        statuses[op.operationId] = Number(lines.pop());
        expect(() => JSON.parse(lines.join('\n')), op.operationId).not.toThrow();
      }
      expect(statuses).toEqual({
        importCustomerFromOvoc: 200,
        // The vendor's example names the fixture customer BradSB1E1 again: the sandbox's 409 (docs/sandbox.md).
        createEssentialsCustomer: 409,
        verifyLcCustomer: 200,
        createCustomerFromLead: 200,
        getTask: 200,
      });
    } finally {
      await sandbox.close();
    }
  });

  it("rewrites the introduction's links to the guides against the page's folder, and refuses a link to no file", () => {
    const description = spec.info.description!;
    for (const guide of ['../docs/client.md', '../docs/sandbox.md', '../docs/checker.md', '../README.md'])
      expect(description).toContain(`](${guide})`);
    for (const outputDir of [join(root, 'docs'), join(scratch, 'site', 'api')]) {
      const links = [...withIntroLinks(spec, outputDir).info.description!.matchAll(/\]\(([^)#\s]+)\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target));
      expect(links.length).toBeGreaterThanOrEqual(6);
      for (const target of links) expect(existsSync(resolve(outputDir, decodeURI(target))), target).toBe(true);
    }
    expect(withIntroLinks(spec, join(root, 'docs')).info.description).toContain('](client.md)');
    const broken = { ...spec, info: { ...spec.info, description: 'See [the guide](../docs/missing.md).' } };
    expect(() => withIntroLinks(broken, join(root, 'docs'))).toThrow(/links to \.\.\/docs\/missing\.md, which is not a file/);
  });

  it('builds a page whose definition carries the curl samples, lists curl as a language, and links the guides', async () => {
    const output = join(scratch, 'page', 'api.html');
    await buildDocs({ output });
    const html = readFileSync(output, 'utf8');
    expect(html).toContain('{"lang":"curl","label":"curl"}');
    for (const op of listOperations(spec))
      expect(html, op.operationId).toContain(JSON.stringify(curlSample(spec, op)).slice(1, -1));
    const hrefs = [...html.matchAll(/<a href="([^"#]+\.md)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    for (const href of hrefs) expect(existsSync(resolve(dirname(output), decodeURI(href))), href).toBe(true);
  }, 60_000);

  it('replaces the CDN logo and inlines the theme', () => {
    const html = makeOffline(redocPage(), 'body { color: red }');
    expect(html).not.toContain('cdn.redoc.ly');
    expect(html).toContain('data:image/gif;base64,');
    expect(html).toContain('body { color: red }');
    expect(offlineProblems(html)).toEqual([]);
  });

  it('stops the build when Redoc changed and the logo code is not found', () => {
    expect(() => makeOffline(redocPage({ logo: false }))).toThrow(/update REMOTE_LOGO/);
  });

  it('reports telemetry, remote tags, font CDNs and a missing CSP', () => {
    const withTelemetry = makeOfflineUnchecked(redocPage({ telemetry: true }));
    expect(offlineProblems(withTelemetry).join('\n')).toMatch(/telemetry is on/);
    const remote = withTelemetry.replace(
      '</head>',
      '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"><script src="//cdn.example.com/x.js"></script></head>',
    );
    const problems = offlineProblems(remote).join('\n');
    expect(problems).toMatch(/remote resource: <link/);
    expect(problems).toMatch(/remote resource: <script src="\/\/cdn\.example\.com/);
    expect(problems).toMatch(/Google Fonts/);
    expect(offlineProblems(remote.replace(/<meta http-equiv[^>]*>/, '')).join('\n')).toMatch(
      /Content-Security-Policy/,
    );
  });
});

/** The page with the logo fixed, whatever else is wrong with it (to test offlineProblems alone). */
function makeOfflineUnchecked(html: string): string {
  return html.replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, 'data:,');
}
