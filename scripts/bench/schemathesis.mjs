// `npm run bench` section "schemathesis" (issue 20): our checker and Schemathesis side by side, with
// the same --max-examples per operation, against the conformant sandbox and each subtle broken
// server of test/check/subtle. Both reach the target through one counting proxy, so "requests" and
// "to the first failure" are counted the same way for both: the first request the server answered
// with its defect (a 5xx; for a server whose defect is a wrong answer, the first contract-valid
// request in its trigger slice). Needs the virtual environment of scripts/schemathesis.sh; without
// it the section says so and adds no row.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

/** Bundles test/check/subtle (TypeScript fixtures) with esbuild and imports SUBTLE_SERVERS. */
export async function loadSubtleServers(root) {
  // The fixtures import src/contract, which finds generated/ two directories up: keep that depth.
  const outfile = join(root, 'bench/subtle/servers.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'test/check/subtle/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return (await import(pathToFileURL(outfile).href)).SUBTLE_SERVERS;
}

/** A proxy that forwards every request to `target`, counting them and noting the first defect answer. */
async function countingProxy(target, isDefect) {
  const state = { requests: 0, firstDefectAt: undefined };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const n = ++state.requests;
      const body = Buffer.concat(chunks);
      const out = httpRequest(
        new URL(req.url, target),
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          if (state.firstDefectAt === undefined && isDefect(req, body, answer.statusCode)) state.firstDefectAt = n;
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs `st run` against one URL; resolves with its JSON report (failure groups by code). */
function runSchemathesis(root, st, { url, token, operationId, maxExamples, seed }) {
  const dir = mkdtempSync(join(tmpdir(), 'lp-st-'));
  const report = join(dir, 'report.json');
  const args = [
    'run',
    'generated/openapi.json',
    '--url',
    url,
    '-H',
    `Authorization: Bearer ${token}`,
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--checks',
    'all',
    '--max-examples',
    String(maxExamples),
    '--seed',
    String(seed),
    '--workers',
    '1',
    '--request-timeout',
    '10',
    '--generation-database',
    'none',
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    report,
    ...(operationId ? ['--include-operation-id', operationId] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(st, args, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, SCHEMATHESIS_HOOKS: 'scripts.schemathesis.hooks', PYTHONPATH: root, LP_ST_TARGET: 'bench' },
    });
    // A bound on every run: a hung Schemathesis must not hang the bench.
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      let doc;
      try {
        doc = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        doc = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, failures: doc?.failures ?? [], complete: doc?.complete === true });
    });
  });
}

const failureKeys = (failures) => new Set(failures.flatMap((f) => (f.operations ?? ['?']).map((op) => `${f.code} ${op}`)));

export async function schemathesisSideBySide({ root, row, quick }) {
  process.stderr.write('9. side by side with Schemathesis\n');
  const st = join(root, '.venv-schemathesis/bin/st');
  // The bench installs its peer itself, pinned, into .venv-schemathesis/ (never the user's Python);
  // the script reinstalls only when the pinned list changed. Without Python it says what to do.
  const install = spawnSync('bash', [join(root, 'scripts/schemathesis.sh'), '--install-only'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (install.status !== 0 || !existsSync(st)) {
    process.stderr.write('  skipped: Schemathesis could not be installed (see the message above)\n');
    return [];
  }
  const { checkTarget } = await import(pathToFileURL(join(root, 'dist/check/index.js')).href);
  const { startSandbox } = await import(pathToFileURL(join(root, 'dist/sandbox/index.js')).href);
  const { matchRoute, validateRequestBody, validateParams, coerceParams } = await import(
    pathToFileURL(join(root, 'dist/contract/index.js')).href
  );
  const servers = await loadSubtleServers(root);
  const maxExamples = quick ? 50 : 200;
  const seed = 1;
  const GOOD_TOKEN = 'conforming-token';
  const LEAD_TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

  const validOf = (req, body) => {
    const route = matchRoute(req.method, new URL(req.url, 'http://x').pathname);
    if (route.kind !== 'operation') return undefined;
    let json;
    try {
      json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      return undefined;
    }
    const op = route.operation;
    if (validateParams(op, coerceParams(op, route.pathParams)).length) return undefined;
    if (op.requestBody && validateRequestBody(op, json).length) return undefined;
    return { operationId: op.operationId, path: new URL(req.url, 'http://x').pathname, body: json };
  };

  // Schemathesis's findings on the server every subtle one is built on: what it reports there is
  // not the defect, so it is left out of "found" on the subtle servers.
  const { startConforming } = await import(pathToFileURL(join(root, 'bench/subtle/servers.mjs')).href).catch(
    () => ({}),
  );
  let baseline = new Set();
  if (startConforming) {
    const base = await startConforming();
    try {
      baseline = failureKeys(
        (await runSchemathesis(root, st, { url: base.url, token: GOOD_TOKEN, maxExamples, seed })).failures,
      );
    } finally {
      await base.close();
    }
  }

  const targets = [
    {
      name: 'conformant sandbox (all operations)',
      start: async () => {
        const s = await startSandbox({ port: 0, taskDurationMs: 30 });
        return { url: s.url, close: () => s.close() };
      },
      token: 'sandbox-token',
      kind: 'sandbox',
      isDefect: () => false,
    },
    ...servers.map((s) => ({
      name: s.name,
      start: s.start,
      token: GOOD_TOKEN,
      kind: 'live',
      operationId: s.operationId,
      isDefect: (req, body, status) => {
        if (s.check === 'not_a_server_error') return status >= 500;
        const valid = validOf(req, body);
        return !!valid && valid.operationId === s.operationId && s.isTrigger(valid);
      },
    })),
  ];

  const results = [];
  for (const t of targets) {
    const measure = async (tool) => {
      const server = await t.start();
      const proxy = await countingProxy(server.url, t.isDefect);
      const started = performance.now();
      let found;
      try {
        if (tool === 'ours') {
          const report = await checkTarget({
            baseUrl: proxy.url,
            token: t.token,
            kind: t.kind,
            allowWrites: true,
            // The sandbox hands out fresh leads through its control plane; a test server has one.
            ...(t.kind === 'sandbox' ? {} : { leadTenantId: LEAD_TENANT }),
            pollIntervalMs: 10,
            seed,
            maxExamples,
            ...(t.operationId ? { only: t.operationId } : {}),
          });
          found = report.outcomes.filter((o) => o.verdict === 'failed').length;
        } else {
          const run = await runSchemathesis(root, st, {
            url: proxy.url,
            token: t.token,
            operationId: t.operationId,
            maxExamples,
            seed,
          });
          const keys = [...failureKeys(run.failures)].filter((k) => t.kind === 'sandbox' || !baseline.has(k));
          found = keys.length;
        }
      } finally {
        await proxy.close();
        await server.close();
      }
      const wallMs = performance.now() - started;
      return {
        found,
        requests: proxy.state.requests,
        firstDefectAt: proxy.state.firstDefectAt,
        wallMs,
        rate: (proxy.state.requests * 1000) / wallMs,
      };
    };
    const ours = await measure('ours');
    const theirs = await measure('schemathesis');
    results.push({ target: t.name, conformant: t.kind === 'sandbox', ours, theirs });
    const say = (r) =>
      t.kind === 'sandbox'
        ? `${r.found ? `**${r.found} false failures**` : 'no failure'}, ${r.requests} req, ${(r.wallMs / 1000).toFixed(1)} s, ${r.rate.toFixed(0)} req/s`
        : `${r.found ? 'found' : '**missed**'}${r.firstDefectAt ? ` (defect hit at request ${r.firstDefectAt})` : ''}, ${r.requests} req, ${(r.wallMs / 1000).toFixed(1)} s, ${r.rate.toFixed(0)} req/s`;
    row({
      group: 'Side by side with Schemathesis',
      name: `${t.name} (--max-examples ${maxExamples}, seed ${seed})`,
      peer: `Schemathesis: ${say(theirs)}`,
      value: ours.firstDefectAt ?? null,
      unit: 'requests',
      ratio: null,
      target: t.kind === 'sandbox' ? 'no failure' : 'found, in no more requests than Schemathesis',
      holds:
        t.kind === 'sandbox'
          ? ours.found === 0
          : ours.found > 0 &&
            (!theirs.found || (ours.firstDefectAt ?? Infinity) <= (theirs.firstDefectAt ?? Infinity)),
      display: `ours: ${say(ours)}`,
    });
  }
  return results;
}

/** The markdown table BENCHMARKS.md keeps between its schemathesis markers. */
export function sideBySideTable(results, { maxExamples, version }) {
  const cell = (r, conformant) =>
    conformant
      ? [r.found ? `${r.found} false` : 'none', '—']
      : [r.found ? 'found' : '**missed**', r.firstDefectAt ?? '—'];
  const lines = [
    `Schemathesis ${version}, all four phases, and \`live-platform check\`, each with --max-examples ${maxExamples} per operation and seed 1, through one counting proxy.`,
    '',
    '| target | ours | ours: requests to first failure | ours: requests, wall, req/s | Schemathesis | Schemathesis: requests to first failure | Schemathesis: requests, wall, req/s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { target, conformant, ours, theirs } of results) {
    const [of, oa] = cell(ours, conformant);
    const [tf, ta] = cell(theirs, conformant);
    const load = (r) => `${r.requests}, ${(r.wallMs / 1000).toFixed(1)} s, ${r.rate.toFixed(0)}`;
    lines.push(`| ${target} | ${of} | ${oa} | ${load(ours)} | ${tf} | ${ta} | ${load(theirs)} |`);
  }
  return lines.join('\n');
}
