#!/usr/bin/env node
// `npm run bench`: every figure beside its peer, measured in this one run on this machine, on
// loopback. Prints a markdown table, writes bench/results.json, and with --write refreshes the
// table in BENCHMARKS.md. Not part of `npm test`: this machine is shared and noisy, so the targets
// are ratios to a peer measured in the same run, never absolute times asserted in a unit test.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import * as esbuild from 'esbuild';
import Ajv2020 from 'ajv/dist/2020.js';
import { movedFromTests } from './bench/moved.mjs';
import { proxyOverhead } from './bench/proxy.mjs';
import addFormats from 'ajv-formats';
import { root, spec, TOKEN, taskBody, median, fmt, childServer, bareServerProcess } from './bench/common.mjs';
import { clientOverhead as clientSection } from './bench/client.mjs';
const { createLivePlatformClient } = await import('../dist/index.js');
const { pollDelay, DEFAULT_POLL_INTERVAL_MS, DEFAULT_MAX_POLL_INTERVAL_MS } =
  await import('../dist/tasks/timing.js');
const validators = await import('../generated/validators.js');
const { startPrismMock } = await import('../dist/mock/prism.js');
const { loadSubtleServers, schemathesisSideBySide, sideBySideTable } =
  await import('./bench/schemathesis.mjs');

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 5 : 31;
const CALLS_PER_ROUND = QUICK ? 300 : 500;
const LOAD_SECONDS = QUICK ? 2 : 4;
const THROUGHPUT_ROUNDS = QUICK ? 1 : 3;
const BLOCK_ROUNDS = QUICK ? 7 : 21;
const taskBodies = Object.entries(spec.components.examples)
  .filter(([name]) => name.startsWith('Task'))
  .map(([, ex]) => ex.value);

const rows = [];
const row = (r) => {
  rows.push(r);
  process.stderr.write(`  ${r.group}: ${r.name} = ${r.display}\n`);
};
const sandboxProcess = (taskDurationMs, extra = []) =>
  childServer([
    'bin/live-platform.js',
    'sandbox',
    '--token',
    TOKEN,
    ...(taskDurationMs === undefined ? [] : ['--task-duration', String(taskDurationMs)]),
    ...extra,
  ]);

// 1. Client call overhead: scripts/bench/client.mjs.
const clientOverhead = () =>
  clientSection({
    row,
    blockRounds: BLOCK_ROUNDS,
    rounds: ROUNDS,
    calls: CALLS_PER_ROUND,
    retentionCalls: QUICK ? 5_000 : 20_000,
  });

// 2. Server throughput on GET task, autocannon with 10 connections.
async function throughput() {
  process.stderr.write('2. server throughput\n');
  const load = (url) =>
    autocannon({
      url: `${url}/api/v2/task/tsk_185510`,
      connections: 10,
      duration: LOAD_SECONDS,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  const t0 = performance.now();
  const prism = await startPrismMock();
  const prismStartMs = performance.now() - t0;
  const sandbox = await sandboxProcess();
  const bare = await bareServerProcess(taskBody);
  const servers = { 'Prism mock': prism, sandbox, 'bare node:http (the limit)': bare };
  row({
    group: 'Start-up (process spawn to accepting connections)',
    name: 'sandbox',
    peer: 'Prism mock',
    value: sandbox.startMs,
    unit: 'ms',
    ratio: sandbox.startMs / prismStartMs,
    target: '< 300 ms',
    holds: sandbox.startMs < 300,
    display: `${fmt(sandbox.startMs, 0)} ms (Prism mock: ${fmt(prismStartMs, 0)} ms)`,
  });
  // All three run at once and take turns under load, round after round, so a noisy stretch on
  // this shared machine does not fall on one server only; each figure is the median round.
  const runs = Object.fromEntries(Object.keys(servers).map((n) => [n, []]));
  try {
    for (const s of Object.values(servers)) await load(s.url); // warm-up: Prism compiles lazily
    for (let r = 0; r < THROUGHPUT_ROUNDS; r++) {
      for (const [name, s] of Object.entries(servers)) runs[name].push(await load(s.url));
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
  const mid = (list) => [...list].sort((a, b) => a.requests.average - b.requests.average)[list.length >> 1];
  const prismRps = mid(runs['Prism mock']).requests.average;
  for (const [name, list] of Object.entries(runs)) {
    const r = mid(list);
    const non2xx = list.reduce((n, x) => n + x.non2xx + x.errors, 0);
    const ratio = r.requests.average / prismRps;
    const target = name === 'sandbox' ? '≥ 5× Prism' : '';
    row({
      group: `Server throughput (GET task, 10 connections, median of ${THROUGHPUT_ROUNDS} rounds)`,
      name,
      peer: 'Prism mock',
      value: r.requests.average,
      unit: 'req/s',
      p99: r.latency.p99,
      errors: non2xx,
      ratio,
      target,
      holds: target ? ratio >= 5 && non2xx === 0 : null,
      display: `${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, ${fmt(ratio)}× Prism, non-2xx or errors ${non2xx}`,
    });
  }
}

// 3. Validation: precompiled standalone validators against Ajv compiling the same schema at run time.
async function validation() {
  process.stderr.write('3. validation\n');
  const t0 = process.hrtime.bigint();
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: spec.components }, undefined, false);
  const runtime = ajv.compile({ $ref: 'openapi.json#/components/schemas/Task' });
  const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const standalone = validators.getTask_200;
  const samples = { runtime: [], standalone: [] };
  const n = QUICK ? 50_000 : 300_000;
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of r % 2
      ? [
          ['standalone', standalone],
          ['runtime', runtime],
        ]
      : [
          ['runtime', runtime],
          ['standalone', standalone],
        ]) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++)
        if (!fn(taskBodies[i % taskBodies.length])) throw new Error('example rejected');
      samples[name].push(n / (Number(process.hrtime.bigint() - t) / 1e9));
    }
  }
  const runtimeOps = median(samples.runtime);
  const standaloneOps = median(samples.standalone);
  // Start-up cost of each: loading the generated module in a fresh process against compiling.
  const loadMs = await new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now();await import(${JSON.stringify(join(root, 'generated/validators.js'))});console.log(performance.now()-t)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error('load failed'))));
  });
  row({
    group: 'Validation (vendor task bodies)',
    name: 'Ajv compiled at run time',
    peer: 'itself',
    value: runtimeOps,
    unit: 'ops/s',
    ratio: 1,
    target: '',
    holds: null,
    display: `${Math.round(runtimeOps)} ops/s; compiling the Task schema takes ${fmt(compileMs, 1)} ms at start-up`,
  });
  row({
    group: 'Validation (vendor task bodies)',
    name: 'Ajv standalone (generated/validators.js)',
    peer: 'Ajv compiled at run time',
    value: standaloneOps,
    unit: 'ops/s',
    ratio: standaloneOps / runtimeOps,
    target: 'loads faster than run-time Ajv compiles',
    holds: loadMs < compileMs,
    display: `${Math.round(standaloneOps)} ops/s (${fmt(standaloneOps / runtimeOps)}× run-time Ajv); loading all ${Object.keys(validators).length} validators takes ${fmt(loadMs, 1)} ms`,
  });
}

// 4. Contract check wall time: the CLI as a user runs it.
async function checkWallTime() {
  process.stderr.write('4. contract check wall time\n');
  const run = (args) =>
    new Promise((resolve) => {
      const t0 = Date.now();
      const child = spawn(process.execPath, ['bin/live-platform.js', 'check', ...args], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'ignore'],
        env: { ...process.env, LIVE_PLATFORM_BASE_URL: '', LIVE_PLATFORM_TOKEN: '' },
      });
      child.once('exit', (code) => resolve({ ms: Date.now() - t0, code }));
    });
  const sandbox = await sandboxProcess(100);
  let sb;
  try {
    sb = await run(['--base-url', sandbox.url, '--token', TOKEN, '--allow-writes']);
  } finally {
    await sandbox.close();
  }
  // Prism's start-up counts: the clock runs from spawning it to the checker's exit.
  // In process, as the library: the CLI cannot be told that a URL it did not start is a mock.
  const { checkTarget, isConformant } = await import('../dist/check/index.js');
  const t0 = Date.now();
  const prism = await startPrismMock();
  let mock;
  try {
    const report = await checkTarget({ baseUrl: prism.url, token: TOKEN, kind: 'mock' });
    mock = { ms: Date.now() - t0, code: isConformant(report) ? 0 : 1 };
  } finally {
    await prism.close();
  }
  for (const [name, r, limit] of [
    ['against the sandbox (task duration 100 ms)', sb, 10_000],
    ['against the Prism mock (start-up included)', mock, 15_000],
  ]) {
    row({
      group: 'Contract check wall time',
      name,
      peer: `${limit / 1000} s budget`,
      value: r.ms,
      unit: 'ms',
      ratio: r.ms / limit,
      target: `< ${limit / 1000} s, exit 0`,
      holds: r.ms < limit && r.code === 0,
      display: `${fmt(r.ms / 1000)} s (exit ${r.code})`,
    });
  }
}

// The most polls the default schedule can make before it sees a task of `ms` end: every gap at its
// shortest (the full jitter share taken off), the first gap counted from the start.
function promisedMaxPolls(ms) {
  let t = 0;
  for (let n = 0; ; n++) {
    t += pollDelay(n, DEFAULT_POLL_INTERVAL_MS, DEFAULT_MAX_POLL_INTERVAL_MS, () => 1);
    if (t >= ms) return n + 1;
  }
}

// 5. The task poller: requests made and detection lag for tasks that end after 1 s and 5 s.
async function poller() {
  process.stderr.write('5. task poller\n');
  for (const seconds of [1, 5]) {
    const sandbox = await sandboxProcess(seconds * 1000);
    try {
      let polls = 0;
      const counting = (input, init) => {
        const u = typeof input === 'string' ? input : input.url;
        if (u.includes('/api/v2/task/')) polls++;
        return fetch(input, init);
      };
      const lp = createLivePlatformClient({ baseUrl: sandbox.url, token: TOKEN, fetch: counting });
      const t0 = Date.now();
      const task = await lp.beginCreateCustomerFromLead({
        configurationName: 'OcEssential_IPGROUP_TYPE',
        customerShortName: 'Bench1',
        customerFullName: 'Bench1',
        msTenantId: 'f79a7f93-5ef7-47d2-92c8-e4570503cec3',
        scriptParameters: { ProxySet: 'SIPTrunk', OnlinePstnGateway: 'oc1.sandbox2.audiocodes.be' },
      });
      const lag = Date.now() - t0 - seconds * 1000;
      row({
        group: 'Task poller (default backoff)',
        name: `task that ends after ${seconds} s`,
        peer: 'fixed 1 s polling',
        value: polls,
        unit: 'polls',
        ratio: polls / (seconds + 1),
        target: `≤ ${promisedMaxPolls(seconds * 1000)} polls (the backoff schedule's bound)`,
        holds: task.status !== 'InProgress' && polls <= promisedMaxPolls(seconds * 1000),
        display: `${polls} polls, detection lag ${lag} ms (fixed 1 s polling: ${seconds + 1} polls)`,
      });
    } finally {
      await sandbox.close();
    }
  }
}

// 6. Size of the package entry (client + poller, no validators), as a bundler would ship it.
async function bundleSize() {
  process.stderr.write('6. bundle size\n');
  const bundle = async (external) => {
    const out = await esbuild.build({
      entryPoints: [join(root, 'dist/index.js')],
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      external: ['node:*', ...external],
      logLevel: 'silent',
    });
    return out.outputFiles[0].contents;
  };
  const whole = await bundle([]);
  const own = await bundle(['openapi-fetch']);
  row({
    group: 'Package entry size',
    name: 'client + poller, minified, openapi-fetch included',
    peer: '12 kB budget',
    value: whole.length,
    unit: 'bytes',
    ratio: whole.length / 12_000,
    target: '≤ 12 kB minified',
    holds: whole.length <= 12_000,
    display: `${fmt(whole.length / 1000, 1)} kB minified, ${fmt(gzipSync(whole).length / 1000, 1)} kB gzip`,
  });
  row({
    group: 'Package entry size',
    name: "the same without openapi-fetch (this package's own code)",
    peer: 'openapi-fetch alone',
    value: own.length,
    unit: 'bytes',
    ratio: own.length / (whole.length - own.length),
    target: '',
    holds: null,
    display: `${fmt(own.length / 1000, 1)} kB minified, ${fmt(gzipSync(own).length / 1000, 1)} kB gzip (openapi-fetch: ${fmt((whole.length - own.length) / 1000, 1)} kB)`,
  });
}

// 7. Soak: a sandbox shared for days, compressed. State grows through the public API with 16
// requests in flight; the child's RSS is sampled from /proc, latency is taken per slice of the run,
// and GET /_sandbox/state is timed as the state grows. `--soak-scale=0.1` runs a tenth of it.
async function soak() {
  const scale = Number(
    process.argv.find((a) => a.startsWith('--soak-scale='))?.slice(13) ?? (QUICK ? 0.1 : 1),
  );
  const CUSTOMERS = Math.round(8_700 * scale);
  const CONVERSIONS = Math.round(30_000 * scale);
  const IN_FLIGHT = 16;
  process.stderr.write(`7. soak (${CUSTOMERS} customers with 63 KB variables, ${CONVERSIONS} conversions)\n`);
  const sandbox = await sandboxProcess(50);
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const rssMb = () => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sandbox.pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : NaN;
    } catch {
      return NaN;
    }
  };
  const rss = [];
  const sampler = setInterval(() => rss.push(rssMb()), 250);
  const statuses = {};
  let dropped = 0;
  const count = (status) => (statuses[status] = (statuses[status] ?? 0) + 1);
  const call = async (method, path, body) => {
    const t = performance.now();
    try {
      const res = await fetch(sandbox.url + path, { method, headers, body });
      const bytes = (await res.arrayBuffer()).byteLength;
      count(res.status);
      return { status: res.status, ms: performance.now() - t, bytes };
    } catch {
      dropped++;
      return { status: 0, ms: performance.now() - t, bytes: 0 };
    }
  };
  // Runs `n` jobs with IN_FLIGHT at a time; returns each job's latency in order.
  const pool = async (n, job) => {
    const ms = new Array(n);
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < n; i = next++) ms[i] = await job(i);
      }),
    );
    return ms;
  };
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  const slices = (ms, k) =>
    Array.from({ length: k }, (_, i) =>
      ms.slice(Math.floor((i * ms.length) / k), Math.floor(((i + 1) * ms.length) / k)),
    )
      .map((xs) => `${fmt(pct(xs, 50), 1)}/${fmt(pct(xs, 99), 1)}`)
      .join(' → ');
  const stateTimes = [];
  // A state read is one more call: timed, counted, and a dropped one counts as dropped.
  const timeState = async () => stateTimes.push(await call('GET', '/_sandbox/state'));
  try {
    await timeState();
    const baseline = rssMb();
    const essentials = spec.components.examples.CreateEssentialsCustomerRequest.value;
    const variable = 'v'.repeat(63 * 1024);
    let accepted = 0;
    const customerMs = await pool(CUSTOMERS, async (i) => {
      const body = JSON.stringify({ ...essentials, shortName: `Soak_${i}`, SoakVariable: variable });
      const r = await call('POST', '/api/v2/customer', body);
      if (r.status === 200) accepted++;
      if (i % 1000 === 999) await timeState();
      return r.ms;
    });
    await timeState();
    const afterCustomers = rssMb();
    const tenant = (i) => `5a0c3b8e-9a55-4c0e-9d7e-${String(i).padStart(12, '0')}`;
    const leadMs = await pool(CONVERSIONS, async (i) => {
      await call('POST', '/_sandbox/leads', JSON.stringify({ msTenantId: tenant(i) }));
      const r = await call(
        'POST',
        '/api/v3/customer',
        JSON.stringify({
          ...spec.components.examples.CreateCustomerFromLeadRequest.value,
          msTenantId: tenant(i),
        }),
      );
      if (i % 5000 === 4999) await timeState();
      return r.ms;
    });
    await timeState();
    const afterLeads = rssMb();
    const fiveHundreds = Object.entries(statuses)
      .filter(([s]) => Number(s) >= 500)
      .reduce((n, [, c]) => n + c, 0);
    const peak = Math.max(...rss.filter(Number.isFinite), afterLeads);
    const stateMax = Math.max(...stateTimes.map((s) => s.ms));
    const group = `Soak (sandbox, ${IN_FLIGHT} in flight, state growing)`;
    row({
      group,
      name: `${CUSTOMERS} Essentials customers with a 63 KB variable`,
      peer: 'its first slice',
      value: accepted,
      unit: 'customers',
      ratio: 1,
      target: 'no 5xx, no dropped connection',
      holds: fiveHundreds === 0 && dropped === 0,
      display: `${accepted} kept, ${CUSTOMERS - accepted} refused (403 at --max-variable-bytes); p50/p99 ms by fifths: ${slices(customerMs, 5)}`,
    });
    row({
      group,
      name: `${CONVERSIONS} lead conversions (a new lead each)`,
      peer: 'its first slice',
      value: CONVERSIONS,
      unit: 'conversions',
      ratio: 1,
      target: 'no 5xx, no dropped connection',
      holds: fiveHundreds === 0 && dropped === 0,
      display: `statuses ${JSON.stringify(statuses)}, dropped ${dropped}; p50/p99 ms by fifths: ${slices(leadMs, 5)}`,
    });
    row({
      group,
      name: 'peak RSS of the sandbox process',
      peer: '400 MB budget',
      value: peak,
      unit: 'MB',
      ratio: peak / 400,
      target: '< 400 MB throughout',
      holds: peak < 400,
      display: `${fmt(peak, 0)} MB (start ${fmt(baseline, 0)}, after customers ${fmt(afterCustomers, 0)}, after conversions ${fmt(afterLeads, 0)})`,
    });
    row({
      group,
      name: 'memory per entity (RSS growth / count)',
      peer: '—',
      value: ((afterLeads - afterCustomers) * 1024) / Math.max(1, CONVERSIONS),
      unit: 'KB',
      ratio: 1,
      target: '',
      holds: null,
      display: `${fmt(((afterCustomers - baseline) * 1024) / Math.max(1, accepted), 1)} KB per customer kept with its variable; ${fmt(((afterLeads - afterCustomers) * 1024) / Math.max(1, CONVERSIONS), 1)} KB per conversion (lead, customer, OVOC customer, task)`,
    });
    row({
      group,
      name: 'GET /_sandbox/state (first page of 1000) as the state grows',
      peer: '2 s budget',
      value: stateMax,
      unit: 'ms',
      ratio: stateMax / 2000,
      target: '< 2 s',
      holds: stateMax < 2000,
      display: `max ${fmt(stateMax, 0)} ms over ${stateTimes.length} reads; last ${fmt(stateTimes.at(-1).ms, 0)} ms, ${fmt(stateTimes.at(-1).bytes / 1024, 0)} KiB`,
    });
  } finally {
    clearInterval(sampler);
    await sandbox.close();
  }
}

// Generated cases (issue 15): requests per second the generated phase sends to an in-process
// sandbox, and how long it takes to see the first failure on each subtle broken server of
// test/check/subtle (bundled with esbuild, a dev dependency, since they are TypeScript fixtures).
async function fuzz() {
  process.stderr.write('8. generated cases\n');
  const { checkTarget } = await import('../dist/check/index.js');
  const { startSandbox } = await import('../dist/sandbox/index.js');
  const sandbox = await startSandbox({ port: 0, taskDurationMs: 30 });
  let generated;
  try {
    const report = await checkTarget({
      baseUrl: sandbox.url,
      token: sandbox.tokens[0],
      kind: 'sandbox',
      seed: 1,
      maxExamples: QUICK ? 50 : 200,
    });
    generated = report.generated;
  } finally {
    await sandbox.close();
  }
  const rate = (generated.cases * 1000) / generated.durationMs;
  row({
    group: 'Generated cases',
    name: `requests per second against the sandbox (${generated.maxExamples} examples per operation and kind, seed 1)`,
    peer: '—',
    value: rate,
    unit: 'req/s',
    ratio: null,
    target: '',
    holds: null,
    display: `${fmt(rate, 0)} req/s (${generated.cases} in ${fmt(generated.durationMs / 1000, 1)} s)`,
  });
  const SUBTLE_SERVERS = await loadSubtleServers(root);
  for (const s of SUBTLE_SERVERS) {
    const server = await s.start();
    let failure;
    try {
      const report = await checkTarget({
        baseUrl: server.url,
        token: 'conforming-token',
        kind: 'live',
        allowWrites: true,
        only: s.operationId,
        seed: 1,
        maxExamples: 200,
      });
      failure = report.generated?.failures.find((f) => f.kind === 'valid');
    } finally {
      await server.close();
    }
    row({
      group: 'Generated cases',
      name: `time to the first failure: ${s.name}`,
      peer: '—',
      value: failure?.firstFailureMs ?? null,
      unit: 'ms',
      ratio: null,
      target: 'found with --max-examples 200',
      holds: failure !== undefined,
      display: failure
        ? `${failure.firstFailureMs} ms, request ${failure.firstFailureAt} of up to 200 (then ${failure.numShrinks} shrinks)`
        : 'not found',
    });
  }
}

const onlyArg = process.argv.indexOf('--only');
const only =
  process.argv.find((a) => a.startsWith('--only='))?.slice(7) ??
  (onlyArg === -1 ? undefined : process.argv[onlyArg + 1]);
// Issue 20: scripts/bench/schemathesis.mjs; its own table goes to BENCHMARKS.md with --write.
let sideBySide;
const schemathesis = async () => {
  sideBySide = await schemathesisSideBySide({ root, row, quick: QUICK });
};
// Measured in scripts/bench/proxy.mjs; it gets this file's helpers rather than copies of them.
const proxy = () =>
  proxyOverhead({
    row,
    median,
    fmt,
    rounds: ROUNDS,
    token: TOKEN,
    childServer,
  });
const sections = {
  clientOverhead,
  throughput,
  validation,
  checkWallTime,
  poller,
  bundleSize,
  soak,
  fuzz,
  schemathesis,
  proxy,
  // Speed claims that were millisecond bounds in unit tests (scripts/bench/moved.mjs).
  movedFromTests: () => movedFromTests({ row, median, fmt, rounds: ROUNDS }),
};
const started = Date.now();
for (const [name, fn] of Object.entries(sections)) {
  if (only && !only.split(',').includes(name)) continue;
  await fn();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = [
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; ${ROUNDS} rounds; ${fmt((Date.now() - started) / 1000, 0)} s in all.`,
  '',
  '| group | what | figure | peer | target | holds |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.group} | ${r.name} | ${r.display} | ${r.peer} | ${r.target || '—'} | ${r.holds === null ? '—' : r.holds ? 'yes' : '**no**'} |`,
  ),
].join('\n');
console.log(table);
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(
  join(root, 'bench/results.json'),
  JSON.stringify({ machine, rounds: ROUNDS, rows }, null, 2) + '\n',
);
/** The side-by-side table (when that section ran) between its own markers in BENCHMARKS.md. */
function withSideBySide(text) {
  if (!sideBySide?.length) return text;
  const version = readFileSync(join(root, 'scripts/schemathesis/requirements.txt'), 'utf8').match(
    /^schemathesis==(\S+)$/m,
  )?.[1];
  const table = sideBySideTable(sideBySide, { maxExamples: QUICK ? 50 : 200, version });
  return text.replace(
    /<!-- schemathesis:start -->[\s\S]*<!-- schemathesis:end -->/,
    `<!-- schemathesis:start -->\n${table}\n<!-- schemathesis:end -->`,
  );
}

if (process.argv.includes('--write')) {
  const file = join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  // A run of some sections (--only) leaves the full table of the last full run in place.
  const next = only
    ? text
    : text.replace(
        /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
        `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
      );
  writeFileSync(file, withSideBySide(next));
  process.stderr.write('BENCHMARKS.md updated\n');
}
