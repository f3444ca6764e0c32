// A 1 GiB gzip bomb (about 1 MB on the wire) against the client in a child process: it must end in
// ResponseTooLargeError with the process's peak memory under 512 MB. The child runs the client
// bundled from src with esbuild, so the test needs no build and measures nothing of vitest.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { hostile, type HostileServer } from './hostile-server.js';

const GiB = 2 ** 30;
const root = fileURLToPath(new URL('../..', import.meta.url));

/** The gzip of `total` zero bytes, compressed as it is generated: the zeros are never held. */
async function gzipOfZeros(total: number): Promise<Buffer> {
  const chunk = Buffer.alloc(2 ** 20);
  const zeros = Readable.from(
    (function* () {
      for (let left = total; left > 0; left -= chunk.length) yield chunk;
    })(),
  );
  const parts: Buffer[] = [];
  for await (const part of zeros.pipe(createGzip({ level: 9 }))) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('maxResponseBytes against a gzip bomb, in a child process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-bomb-'));
  let server: HostileServer | undefined;
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('1 GiB of zeros as ~1 MB of gzip ends in ResponseTooLargeError with peak RSS under 512 MB', async () => {
    const bomb = await gzipOfZeros(GiB);
    expect(bomb.length).toBeLessThan(1.5 * 2 ** 20);
    server = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const entry = join(dir, 'client.mjs');
    await build({
      entryPoints: [join(root, 'src/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: entry,
      logLevel: 'error',
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        fileURLToPath(new URL('./fixtures/bomb-client.mjs', import.meta.url)),
        pathToFileURL(entry).href,
        server.url,
      ],
      { timeout: 60_000 },
    );
    const { outcome, peakRssBytes } = JSON.parse(stdout) as { outcome: string; peakRssBytes: number };
    expect(outcome).toBe('ResponseTooLargeError');
    expect(peakRssBytes).toBeLessThan(512 * 2 ** 20);
    console.info(`gzip bomb: peak RSS of the client process ${Math.round(peakRssBytes / 2 ** 20)} MB`);
  }, 60_000);
});
