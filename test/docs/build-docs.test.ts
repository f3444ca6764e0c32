// scripts/build-docs.mjs: the samples it injects and the offline fixes it applies to Redoc's page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CODE_SAMPLE_LABEL,
  CODE_SAMPLE_LANG,
  docsPaths,
  listOperations,
  makeOffline,
  offlineProblems,
  readSamples,
  specWithCodeSamples,
  type OpenApiLike,
} from '../../scripts/build-docs.mjs';

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

  it('injects each samples/<operationId>.ts as the operation x-codeSamples, into a copy', () => {
    const before = JSON.stringify(spec);
    const documented = specWithCodeSamples(spec, readSamples(spec));
    expect(JSON.stringify(spec), 'generated/openapi.json must stay untouched').toBe(before);
    for (const { operationId, operation } of listOperations(documented)) {
      const source = readFileSync(join(docsPaths.samples, `${operationId}.ts`), 'utf8').trimEnd();
      expect(operation['x-codeSamples']).toEqual([
        { lang: CODE_SAMPLE_LANG, label: CODE_SAMPLE_LABEL, source },
      ]);
    }
    expect(CODE_SAMPLE_LANG).toBe('TypeScript');
    expect(CODE_SAMPLE_LABEL).toBe('live-platform-openapi');
  });

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
