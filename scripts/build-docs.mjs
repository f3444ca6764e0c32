#!/usr/bin/env node
// Builds docs/index.html, a Redoc page that needs no network: Redoc's script is inlined, the Redocly
// logo and telemetry are taken out, and a Content-Security-Policy forbids any request to a host.
// The page documents a copy of generated/openapi.json into which each operation's TypeScript sample
// (samples/<operationId>.ts, compiled by test/docs/samples.test.ts) is injected as x-codeSamples.
//
//   npm run docs                      -> docs/index.html
//   node scripts/build-docs.mjs --output /tmp/api.html
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { deref } from './spec-walk.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Wherever npm put @redocly/cli (this repo, or beside the package in a consumer's node_modules).
function redoclyCliPath() {
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
      'bin',
      'cli.js',
    );
  } catch {
    return join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  }
}

export const docsPaths = {
  spec: join(root, 'generated', 'openapi.json'),
  samples: join(root, 'samples'),
  template: join(root, 'docs-template', 'page.html'),
  theme: join(root, 'docs-template', 'theme.css'),
  output: join(root, 'docs', 'index.html'),
  redoclyCli: redoclyCliPath(),
};

export const CODE_SAMPLE_LANG = 'TypeScript';
export const CODE_SAMPLE_LABEL = 'live-platform-openapi';
/** The curl sample beside it: generated from the contract (curlSample), never written by hand. */
export const CURL_SAMPLE_LANG = 'curl';
export const CURL_SAMPLE_LABEL = 'curl';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Redoc options (Redoc 3, passed with --openapi). */
const redocOptions = {
  // Redoc 3 shows an x-codeSamples entry only when its label is a listed language; this keeps the
  // project's TypeScript and curl samples and drops Redoc's generated Python/... snippets.
  codeSamples: {
    languages: [
      { lang: CODE_SAMPLE_LANG, label: CODE_SAMPLE_LABEL },
      { lang: CURL_SAMPLE_LANG, label: CURL_SAMPLE_LABEL },
      // The request example as JSON, so each vendor request example can be read as sent.
      { lang: 'payload', label: 'Payload' },
    ],
  },
  jsonSamplesExpandLevel: 3,
  hideLoading: true,
  sortRequiredPropsFirst: true,
};

/** Every operation of an OpenAPI document: { operationId, method, path, operation }. */
export function listOperations(spec) {
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item?.[method];
      if (operation) operations.push({ operationId: operation.operationId, method, path, operation });
    }
  }
  return operations;
}

/** samples/<operationId>.ts for every operation; a missing or stray sample is an error that says what to do. */
export function readSamples(spec, samplesDir = docsPaths.samples) {
  const operationIds = listOperations(spec).map((op) => op.operationId);
  const files = existsSync(samplesDir) ? readdirSync(samplesDir).filter((f) => /^[^.].*\.ts$/.test(f)) : [];
  const problems = [];
  for (const id of operationIds) {
    if (!files.includes(`${id}.ts`)) {
      problems.push(
        `samples/${id}.ts is missing: every operation needs a TypeScript sample that calls it with the project's client.`,
      );
    }
  }
  for (const file of files) {
    if (!operationIds.includes(file.replace(/\.ts$/, ''))) {
      problems.push(
        `samples/${file} matches no operationId in the spec: rename it to <operationId>.ts or delete it.`,
      );
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return new Map(
    operationIds.map((id) => [id, readFileSync(join(samplesDir, `${id}.ts`), 'utf8').trimEnd()]),
  );
}

/** A word for the shell, in single quotes (a quote inside closes, escapes and reopens them). */
const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

/** What the contract shows for a parameter: its example, its first named example, its schema's. */
function parameterExample(spec, param) {
  const [schema] = deref(spec, param.schema, '');
  const named = Object.values(param.examples ?? {})[0];
  const value = param.example ?? (named && deref(spec, named, '')[0]?.value) ?? schema?.example;
  return value === undefined ? `{${param.name}}` : String(value);
}

/**
 * The curl command of an operation, from the contract alone: its method and path, the path
 * parameters' examples, the bearer token when the operation is secured, and its first request
 * example as the JSON body. The base URL and the token are the environment variables the client's
 * guides use (LIVE_PLATFORM_BASE_URL, LIVE_PLATFORM_TOKEN).
 */
export function curlSample(spec, { method, path, operation }) {
  let url = path;
  for (const ref of [...(spec.paths?.[path]?.parameters ?? []), ...(operation.parameters ?? [])]) {
    const [param] = deref(spec, ref, '');
    if (param?.in === 'path')
      url = url.replace(`{${param.name}}`, encodeURIComponent(parameterExample(spec, param)));
  }
  const lines = [
    `curl${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} "$LIVE_PLATFORM_BASE_URL${url}"`,
  ];
  if ((operation.security ?? spec.security ?? []).length > 0)
    lines.push('-H "Authorization: Bearer $LIVE_PLATFORM_TOKEN"');
  const [body] = deref(spec, operation.requestBody, '');
  const json = body?.content?.['application/json'];
  if (json) {
    const named = Object.values(json.examples ?? {})[0];
    const example = json.example ?? (named && deref(spec, named, '')[0]?.value);
    lines.push(`-H ${shellQuote('Content-Type: application/json')}`);
    if (example !== undefined) lines.push(`--data-raw ${shellQuote(JSON.stringify(example, null, 2))}`);
  }
  return lines.join(' \\\n  ');
}

/** A copy of the spec with each operation's TypeScript sample and its curl command as x-codeSamples. */
export function specWithCodeSamples(spec, samples) {
  const copy = structuredClone(spec);
  for (const op of listOperations(copy)) {
    op.operation['x-codeSamples'] = [
      { lang: CODE_SAMPLE_LANG, label: CODE_SAMPLE_LABEL, source: samples.get(op.operationId) },
      { lang: CURL_SAMPLE_LANG, label: CURL_SAMPLE_LABEL, source: curlSample(spec, op) },
    ];
  }
  return copy;
}

/**
 * The introduction (spec/introduction.md, the spec's info.description) links to the guides as files
 * relative to spec/, so the links work where the Markdown is read. On the page they must be relative
 * to the page: each is rewritten against `outputDir`, and a link to a file that does not exist stops
 * the build with its name.
 */
export function withIntroLinks(spec, outputDir) {
  const copy = structuredClone(spec);
  const specDir = join(root, 'spec');
  copy.info.description = String(copy.info.description ?? '').replace(
    /\]\((?![a-z][\w+.-]*:|#|\/)([^)\s#]+)(#[^)\s]*)?\)/gi,
    (_, target, hash = '') => {
      const file = resolve(specDir, target);
      if (!existsSync(file)) {
        throw new Error(
          `build-docs: spec/introduction.md links to ${target}, which is not a file (${file}); fix the link.`,
        );
      }
      return `](${encodeURI(relative(outputDir, file).split(sep).join('/'))}${hash})`;
    },
  );
  return copy;
}

// Redoc 3.0 renders "API docs by <img src=cdn.redoc.ly/...>" in the sidebar footer whatever the options.
// The image is replaced by nothing and the footer hidden by the theme; if Redoc changes this code the
// build stops here rather than shipping a page that calls a CDN.
const REMOTE_LOGO =
  /src:e\?`https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini-full\.svg`:`https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg`/g;
const BLANK_IMAGE = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';

/** Applies the offline fixes to Redoc's HTML and checks that the page can load nothing from a host. */
export function makeOffline(html, themeCss = '') {
  const logos = html.match(REMOTE_LOGO)?.length ?? 0;
  if (logos !== 1) {
    throw new Error(
      `build-docs: expected Redoc's remote footer logo exactly once, found it ${logos} times. ` +
        'The Redoc version changed: update REMOTE_LOGO in scripts/build-docs.mjs so the page loads no logo from a CDN.',
    );
  }
  let out = html.replace(REMOTE_LOGO, `src:e?\`${BLANK_IMAGE}\`:\`${BLANK_IMAGE}\``);
  if (!out.includes('/* THEME */')) {
    throw new Error(
      'build-docs: the template lost its /* THEME */ marker; restore it in docs-template/page.html.',
    );
  }
  out = out.replace('/* THEME */', () => themeCss);
  for (const problem of offlineProblems(out)) throw new Error(`build-docs: ${problem}`);
  return out;
}

/** What in the page would reach the network; empty when the page is self-contained. */
export function offlineProblems(html) {
  const problems = [];
  if (!html.includes('"disableTelemetry":true')) {
    problems.push('Redoc telemetry is on (run the CLI with REDOCLY_TELEMETRY=off).');
  }
  if (!/http-equiv="Content-Security-Policy"\s+content="default-src 'none';/.test(html)) {
    problems.push('the Content-Security-Policy meta tag of docs-template/page.html is missing.');
  }
  // Outside the inline scripts (whose code names URLs it never loads), no tag may point at a host.
  const markup = html.replace(/<script\b(?![^>]*\bsrc=)[^>]*>[\s\S]*?<\/script>/g, '');
  for (const [tag] of markup.matchAll(
    /<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\/[^>]*>/gi,
  )) {
    problems.push(`the page loads a remote resource: ${tag.slice(0, 200)}`);
  }
  if (
    /@import\s+url\(|fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.redoc\.ly|cdn\.redocly\.com\/redoc\//.test(
      html,
    )
  ) {
    problems.push('the page still names a font or script CDN (Google Fonts or Redocly CDN).');
  }
  return problems;
}

const run = promisify(execFile);

/** Runs `redocly build-docs --inlineBundle` on the spec with samples and writes the offline page. */
export async function buildDocs({ output = docsPaths.output } = {}) {
  if (!existsSync(docsPaths.redoclyCli)) {
    throw new Error(
      'The docs build needs @redocly/cli, an optional peer of live-platform-openapi. ' +
        'Install it with: npm install --save-dev @redocly/cli@~2.77.0',
    );
  }
  const spec = JSON.parse(readFileSync(docsPaths.spec, 'utf8'));
  const documented = withIntroLinks(specWithCodeSamples(spec, readSamples(spec)), dirname(output));
  const work = mkdtempSync(join(tmpdir(), 'live-platform-docs-'));
  try {
    const specCopy = join(work, 'openapi.json');
    const rawPage = join(work, 'redoc.html');
    writeFileSync(specCopy, JSON.stringify(documented, null, 2));
    try {
      await run(
        process.execPath,
        [
          docsPaths.redoclyCli,
          'build-docs',
          specCopy,
          '--inlineBundle',
          '--output',
          rawPage,
          '--template',
          docsPaths.template,
          '--openapi',
          JSON.stringify(redocOptions),
          '--title',
          `${spec.info.title} reference`,
        ],
        {
          cwd: root,
          // Telemetry off: the CLI would post usage to Redocly, and the page would send traces.
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    } catch (error) {
      const detail = [error.stderr, error.stdout]
        .filter(Boolean)
        .join('\n')
        .replace(/^.*[║╔╚].*$\n?/gm, '');
      throw new Error(`redocly build-docs failed (exit ${error.code}):\n${detail.trim()}`);
    }
    const html = makeOffline(readFileSync(rawPage, 'utf8'), readFileSync(docsPaths.theme, 'utf8'));
    mkdirSync(dirname(output), { recursive: true });
    // Written next to the target and renamed, so a reader (or a parallel build) never sees half a page.
    const partial = `${output}.${process.pid}.partial`;
    writeFileSync(partial, html);
    renameSync(partial, output);
    return { output, bytes: Buffer.byteLength(html), operations: listOperations(documented).length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--output' || arg === '-o') {
      const value = argv[++i];
      if (!value) throw new Error('--output needs a file path, e.g. --output docs/index.html');
      options.output = resolve(value);
    } else if (arg === '--help' || arg === '-h') {
      options.help = true;
    } else {
      throw new Error(
        `Unknown option ${JSON.stringify(arg)}. Usage: node scripts/build-docs.mjs [--output <file.html>]`,
      );
    }
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const options = parseArgs(process.argv.slice(2));
    if (options.help) {
      console.log('Usage: node scripts/build-docs.mjs [--output <file.html>]   (default docs/index.html)');
    } else {
      const { output, bytes, operations } = await buildDocs(options);
      const shown = relative(process.cwd(), output) || output;
      console.log(
        `docs: ${operations} operations, ${Math.round(bytes / 1024)} KiB, no network needed -> ${shown}`,
      );
      console.log(`open it: ${pathToFileURL(output).href}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
