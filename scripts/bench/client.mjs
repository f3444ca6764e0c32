// The client-overhead section of `npm run bench` (`--only clientOverhead`): what the typed client
// costs per call over raw fetch and over plain openapi-fetch, the library it wraps. Every caller
// makes the same GET task against a bare node:http server in another process, so the server's work
// and its garbage collection never land in a caller's time.
//
// Three measures, all from one run:
// - Blocks (the figure the targets hold to). Each caller makes BLOCK_CALLS consecutive calls, so
//   the garbage it makes is collected in its own time; the callers' order rotates from round to
//   round; a round's ratio is a caller's block over its peer's block in that round, and the figure
//   is the median over the rounds, with its quartiles. A young-generation collection (not timed)
//   before each block empties the nursery, so a block does not pay for the tail of the one before.
//   Beside the wall time, the CPU time of this process in the same blocks: waits for a core that
//   other work holds do not count in it, so on a loaded machine it scatters less; and the ratio of
//   the fastest blocks, which load (it only ever adds time) disturbs least.
// - Interleaved (kept beside it). Calls alternate one by one in a seeded random order, which damps
//   drift on a shared machine but lets one caller's garbage be collected during another's calls.
// - Allocation. Bytes allocated per call, from the young generation's growth over 10 calls with no
//   collection in between: no timing, so no noise, and the cause of the collections the blocks pay.
//   For the long-lived-signal pair, also the bytes kept per call once garbage is collected.
import v8 from 'node:v8';
import { setMaxListeners } from 'node:events';
import { runInNewContext } from 'node:vm';
import createClient from 'openapi-fetch';
import { TOKEN, taskBody, median, fmt, bareServerProcess } from './common.mjs';

const { createLivePlatformClient } = await import('../../dist/index.js');

export const BLOCK_CALLS = 1000;

// `gc()` without --expose-gc on the command line (`npm run bench` runs plain `node`). Should a
// Node refuse the late flag, blocks merely start on a fuller nursery, and allocation samples in
// which a collection ran are dropped as ever.
v8.setFlagsFromString('--expose-gc');
const gc = (() => {
  try {
    return runInNewContext('gc');
  } catch {
    process.stderr.write('  (no gc(): blocks start without emptying the nursery)\n');
    return () => {};
  }
})();

/**
 * The callers, against one server: name → one call that resolves to the parsed task. The pairs
 * with "a long-lived signal" pass one AbortSignal, made once, to every call, as a caller with a
 * shutdown signal does; each pair has its own, so listeners one leaves on it do not burden the other.
 */
export function clientCallers(baseUrl) {
  const url = `${baseUrl}/api/v2/task/wst_1`;
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const plain = createClient({ baseUrl, headers: auth });
  const ours = createLivePlatformClient({ baseUrl, token: TOKEN });
  const oursValidating = createLivePlatformClient({ baseUrl, token: TOKEN, validateResponses: true });
  const params = { params: { path: { taskId: 'wst_1' } } };
  const longLived = () => {
    const { signal } = new AbortController();
    // undici leaves a listener on a fetch's signal until the request is collected; no warning for
    // that here: the figure shows its cost.
    setMaxListeners(0, signal);
    return signal;
  };
  const plainSignal = { ...params, signal: longLived() };
  const oursSignal = { signal: longLived() };
  return {
    'raw fetch': async () => (await fetch(url, { headers: auth })).json(),
    'openapi-fetch': async () => (await plain.GET('/api/v2/task/{taskId}', params)).data,
    'lp.GET, validation off': async () => (await ours.GET('/api/v2/task/{taskId}', params)).data,
    'lp.GET, validation on': async () => (await oursValidating.GET('/api/v2/task/{taskId}', params)).data,
    'lp.getTask': () => ours.getTask('wst_1'),
    'openapi-fetch, a long-lived signal': async () =>
      (await plain.GET('/api/v2/task/{taskId}', plainSignal)).data,
    'lp.getTask, a long-lived signal': () => ours.getTask('wst_1', oursSignal),
  };
}

/** Each caller's time per call (µs) in blocks, wall and CPU, one entry per round. */
export async function inBlocks(callers, rounds, calls) {
  const names = Object.keys(callers);
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const call = callers[name];
      gc({ type: 'minor' });
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await call();
      wall[name].push(Number(process.hrtime.bigint() - t0) / 1e3 / calls);
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / calls);
    }
  }
  return { wall, cpu };
}

// A seeded shuffle (mulberry32), so that a run's call order is the same every time it is run.
let shuffleSeed = 0x2f6b;
function shuffled(items) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    shuffleSeed = (shuffleSeed + 0x6d2b79f5) | 0;
    let t = Math.imul(shuffleSeed ^ (shuffleSeed >>> 15), 1 | shuffleSeed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const j = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Each caller's time per call (µs), interleaved call by call in a new random order each time. */
async function interleaved(callers, rounds, calls) {
  const names = Object.keys(callers);
  const perCall = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const total = Object.fromEntries(names.map((n) => [n, 0n]));
    for (let i = 0; i < calls; i++) {
      for (const name of shuffled(names)) {
        const t0 = process.hrtime.bigint();
        await callers[name]();
        total[name] += process.hrtime.bigint() - t0;
      }
    }
    for (const name of names) perCall[name].push(Number(total[name]) / 1e3 / calls);
  }
  return perCall;
}

const youngUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;

/**
 * Bytes each caller allocates per call: the median over samples of 10 calls that start on an empty
 * nursery; a sample in which a collection ran (the nursery shrank) is dropped.
 */
async function allocation(callers, samples = 15, calls = 10) {
  const out = {};
  for (const [name, call] of Object.entries(callers)) {
    const perCall = [];
    for (let s = 0; s < samples; s++) {
      gc({ type: 'minor' });
      const before = youngUsed();
      for (let i = 0; i < calls; i++) await call();
      const after = youngUsed();
      if (after > before) perCall.push((after - before) / calls);
    }
    out[name] = perCall.length ? median(perCall) : NaN;
  }
  return out;
}

/**
 * Bytes a caller leaves behind per call once garbage is collected: the heap's growth over `calls`
 * calls, each end measured after full collections (a few turns apart, so finalizers run). Near 0
 * for a caller that keeps nothing; a caller whose long-lived signal keeps a record of every call
 * shows a steady growth (Node 20.20's AbortSignal.any() keeps one entry per composite signal on its
 * sources for good).
 */
async function retention(call, calls) {
  const settled = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return v8.getHeapStatistics().used_heap_size;
  };
  const before = await settled();
  for (let i = 0; i < calls; i++) await call();
  return ((await settled()) - before) / calls;
}

/** Per round, a caller's time over its peer's in that same round: the median and quartiles. */
function roundRatios(perCall, name, peer) {
  const xs = perCall[name].map((t, r) => t / perCall[peer][r]).sort((a, b) => a - b);
  const q = (p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  return { median: median(xs), q1: q(0.25), q3: q(0.75) };
}

/**
 * Each caller's peer, and the target it holds in blocks (wall time), if any, as [reference, bound].
 * Validation on keeps the bound it had before the block design, against raw fetch.
 */
const PEERS = {
  'raw fetch': { peer: 'raw fetch' },
  'openapi-fetch': { peer: 'raw fetch' },
  'lp.GET, validation off': { peer: 'openapi-fetch', target: ['openapi-fetch', 1.1] },
  'lp.GET, validation on': { peer: 'openapi-fetch', target: ['raw fetch', 1.3] },
  'lp.getTask': { peer: 'openapi-fetch', target: ['openapi-fetch', 1.15] },
  'openapi-fetch, a long-lived signal': { peer: 'openapi-fetch' },
  'lp.getTask, a long-lived signal': { peer: 'openapi-fetch, a long-lived signal' },
};

/**
 * Runs the section and hands each caller's row to `row`. `rounds` and `calls` are the interleaved
 * design's; `blockRounds` the blocks'.
 */
export async function clientOverhead({ row, blockRounds, rounds, calls, retentionCalls }) {
  process.stderr.write('1. client call overhead\n');
  const server = await bareServerProcess(taskBody);
  let blocks, mixed, bytes;
  const kept = {};
  try {
    const callers = clientCallers(server.url);
    for (const call of Object.values(callers)) for (let i = 0; i < 500; i++) await call(); // warm-up
    blocks = await inBlocks(callers, blockRounds, BLOCK_CALLS);
    mixed = await interleaved(callers, rounds, calls);
    bytes = await allocation(callers);
    for (const name of Object.keys(callers).filter((n) => n.includes('long-lived')))
      kept[name] = await retention(callers[name], retentionCalls);
  } finally {
    await server.close();
  }
  const group = `Client overhead (GET task; blocks of ${BLOCK_CALLS} calls, median of ${blockRounds} rounds)`;
  for (const name of Object.keys(PEERS)) {
    const { peer, target } = PEERS[name];
    const of = (perCall) => ({
      vsRaw: roundRatios(perCall, name, 'raw fetch'),
      vsPeer: roundRatios(perCall, name, peer),
      // The fastest block over the peer's fastest: load only ever adds time, so on a busy machine
      // this scatters far less than the median (it keeps each caller's own collections).
      fastestVsPeer: Math.min(...perCall[name]) / Math.min(...perCall[peer]),
      usPerCall: perCall[name],
    });
    const wall = of(blocks.wall);
    const cpu = of(blocks.cpu);
    const inter = of(mixed);
    const us = median(blocks.wall[name]);
    const vs = (x) => (peer === 'raw fetch' ? '' : `, ${fmt(x.vsPeer.median)}× ${peer}`);
    const ratio = target ? roundRatios(blocks.wall, name, target[0]).median : wall.vsPeer.median;
    row({
      group,
      name,
      peer,
      value: us,
      unit: 'µs/call',
      ratio,
      blocks: wall,
      blocksCpu: cpu,
      interleaved: inter,
      allocatedBytes: bytes[name],
      retainedBytesPerCall: kept[name],
      target: target ? `≤ ${target[1]}× ${target[0]}, in blocks` : '',
      holds: target ? ratio <= target[1] : null,
      display:
        `${fmt(us, 0)} µs/call; blocks ${fmt(wall.vsRaw.median)}× raw${vs(wall)}` +
        (name === 'raw fetch'
          ? ''
          : ` (quartiles ${fmt(wall.vsPeer.q1)}-${fmt(wall.vsPeer.q3)}; fastest blocks ${fmt(wall.fastestVsPeer)}×)`) +
        `; CPU ${fmt(cpu.vsRaw.median)}× raw${vs(cpu)}` +
        `; interleaved ${fmt(inter.vsRaw.median)}× raw${vs(inter)}` +
        `; ${fmt(bytes[name] / 1024, 1)} KB allocated/call` +
        (name in kept ? `; ${fmt(kept[name], 0)} bytes kept/call after GC (${retentionCalls} calls)` : ''),
    });
  }
}
