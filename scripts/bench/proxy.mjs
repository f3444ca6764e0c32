// What `live-platform proxy` adds per exchange: the same GET task against the sandbox directly and
// through the proxy (recording a HAR, as it is used), each in blocks of consecutive calls with the
// order rotating per round (the client section's inBlocks), so that one caller's garbage collection
// is not spread over the other's calls. A round yields the added time per call; the figure is the
// median over rounds. Target (issue 21): under 2 ms on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inBlocks } from './client.mjs';

/** Consecutive calls per caller in a block: a proxied call takes about a millisecond. */
const BLOCK_CALLS = 200;

/**
 * @param {{ row: (r: object) => void, median: (xs: number[]) => number, fmt: (n: number, d?: number) => string,
 *   rounds: number, token: string,
 *   childServer: (args: string[]) => Promise<{ url: string, close: () => Promise<unknown> }> }} ctx
 */
export async function proxyOverhead(ctx) {
  process.stderr.write('9. proxy overhead\n');
  const { row, median, fmt, rounds, token, childServer } = ctx;
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
    for (const fn of Object.values(variants)) for (let i = 0; i < 200; i++) await fn(); // warm-up
    const { wall } = await inBlocks(variants, rounds, BLOCK_CALLS);
    const perCall = { direct: wall.direct.map((us) => us / 1e3), proxied: wall['through the proxy'].map((us) => us / 1e3) };
    const added = perCall.proxied.map((ms, r) => ms - perCall.direct[r]);
    const addedMs = median(added);
    row({
      group: 'Proxy (GET task, recording a HAR)',
      name: 'added per exchange',
      peer: 'direct to the sandbox',
      value: addedMs,
      unit: 'ms/call',
      ratio: median(perCall.proxied) / median(perCall.direct),
      target: '< 2 ms',
      holds: addedMs < 2,
      display: `${fmt(addedMs, 3)} ms/call (direct ${fmt(median(perCall.direct), 3)} ms, proxied ${fmt(median(perCall.proxied), 3)} ms; blocks of ${BLOCK_CALLS})`,
    });
  } finally {
    await proxy.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
