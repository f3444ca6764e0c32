// What `live-platform proxy` adds per exchange: the same GET task against the sandbox directly and
// through the proxy (recording a HAR, as it is used), interleaved call by call in a shuffled order
// so that load on this shared machine hits both alike. Each round yields the added time per call;
// the figure is the median over rounds. Target (issue 21): under 2 ms on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @param {{ row: (r: object) => void, median: (xs: number[]) => number, fmt: (n: number, d?: number) => string,
 *   rounds: number, callsPerRound: number, token: string, shuffled: <T>(xs: T[]) => T[],
 *   childServer: (args: string[]) => Promise<{ url: string, close: () => Promise<unknown> }> }} ctx
 */
export async function proxyOverhead(ctx) {
  process.stderr.write('9. proxy overhead\n');
  const { row, median, fmt, rounds, callsPerRound, token, shuffled, childServer } = ctx;
  const dir = mkdtempSync(join(tmpdir(), 'lp-bench-proxy-'));
  const sandbox = await childServer(['bin/live-platform.js', 'sandbox', '--token', token]);
  const proxy = await childServer([
    'bin/live-platform.js',
    'proxy',
    '--upstream',
    sandbox.url,
    '--quiet',
    '--har',
    join(dir, 'bench.har'),
  ]);
  try {
    const headers = { authorization: `Bearer ${token}` };
    const path = '/api/v2/task/tsk_185510';
    const variants = {
      direct: async () => (await fetch(`${sandbox.url}${path}`, { headers })).text(),
      'through the proxy': async () => (await fetch(`${proxy.url}${path}`, { headers })).text(),
    };
    const names = Object.keys(variants);
    for (const fn of Object.values(variants)) for (let i = 0; i < 200; i++) await fn(); // warm-up
    const added = [];
    const perCall = { direct: [], 'through the proxy': [] };
    for (let r = 0; r < rounds; r++) {
      const total = { direct: 0n, 'through the proxy': 0n };
      for (let i = 0; i < callsPerRound; i++) {
        for (const name of shuffled(names)) {
          const t0 = process.hrtime.bigint();
          await variants[name]();
          total[name] += process.hrtime.bigint() - t0;
        }
      }
      for (const name of names) perCall[name].push(Number(total[name]) / 1e6 / callsPerRound);
      added.push(Number(total['through the proxy'] - total.direct) / 1e6 / callsPerRound);
    }
    const addedMs = median(added);
    row({
      group: 'Proxy (GET task, recording a HAR)',
      name: 'added per exchange',
      peer: 'direct to the sandbox',
      value: addedMs,
      unit: 'ms/call',
      ratio: median(perCall['through the proxy']) / median(perCall.direct),
      target: '< 2 ms',
      holds: addedMs < 2,
      display: `${fmt(addedMs, 3)} ms/call (direct ${fmt(median(perCall.direct), 3)} ms, proxied ${fmt(median(perCall['through the proxy']), 3)} ms)`,
    });
  } finally {
    await proxy.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
