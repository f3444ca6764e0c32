// `live-platform mock` as a newcomer meets it: a taken port, a mistyped host, a Prism that stops.
// Each failure is one line and exit 2, within seconds, and nothing claims to listen.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ListenError, assertCanListen } from '../../src/mock/net.js';
import { PrismStartError, prismFailureLine, startPrismMock } from '../../src/mock/prism.js';
import { test as it } from '../support/fixtures.js';

/**
 * The command's promise is exit 2 within seconds, before the 30 s readiness wait: a run still going
 * at 20 s is killed, and `killed` says so (the test's own timeout is 30 s, above it).
 */
const WITHIN_MS = 20_000;

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('live-platform mock: failures a newcomer meets', () => {
  it('a busy port exits 2 naming the port, and never claims to listen', async ({ cli }) => {
    const { code, stdout, stderr, killed } = await cli(['mock', '--port', String(busyPort)], {
      timeout: WITHIN_MS,
    });
    expect(killed).toBe(false);
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${busyPort}`);
    expect(stderr).toContain('already in use');
    expect(stdout).not.toMatch(/listening/i);
    expect(stderr).not.toMatch(/Positionals|--verboseLevel/); // Prism's help text
  }, 30_000);

  it('a host that is not this machine exits 2 at once, without the 30 s readiness wait', async ({ cli }) => {
    const { code, stdout, stderr, killed } = await cli(['mock', '--host', '192.0.2.1', '--port', '0'], {
      timeout: WITHIN_MS,
    });
    expect(killed).toBe(false);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot listen on host "192\.0\.2\.1"/);
    expect(stdout).toBe('');
  }, 30_000);

  it('--help says Prism must be installed and that any bearer token is accepted', async ({ cli }) => {
    const { code, stdout } = await cli(['mock', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('npm install --save-dev @stoplight/prism-cli');
    expect(stdout).toMatch(/accepts any bearer token/);
  });

  it('a mistyped flag is named with the one that was meant', async ({ cli }) => {
    const { code, stderr } = await cli(['mock', '--prot', '4010']);
    expect(code).toBe(2);
    expect(stderr).toContain(`Unknown option '--prot'. Did you mean "--port"?`);
  });
});

describe('src/mock: Prism start-up failures', () => {
  it('assertCanListen tells a taken port from a bad host', async () => {
    await expect(assertCanListen(busyPort, '127.0.0.1')).rejects.toMatchObject({
      name: 'ListenError',
      reason: 'port-in-use',
    });
    const bad = await assertCanListen(0, '192.0.2.1').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ListenError);
    expect(bad).toMatchObject({ reason: 'bad-host' });
    await expect(assertCanListen(0, '127.0.0.1')).resolves.toBeUndefined();
  });

  it('Prism stopping before it listens rejects with one line, its help kept off the message', async () => {
    const err = await startPrismMock({ spec: join(import.meta.dirname, 'no-such-spec.yaml') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PrismStartError);
    const message = (err as Error).message;
    expect(message).toMatch(/^Prism exited \(code \d+\) before listening/);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toMatch(/Positionals/);
  }, 30_000);

  it('prismFailureLine picks the listen error out of Prism fatal output', () => {
    const output = [
      '[3:24:36 PM] › [CLI] ✖  fatal',
      'prism mock <document>',
      'Positionals:',
      '  document  Path to a document file.',
      '      --help    Show help  [boolean]',
      'listen EADDRINUSE: address already in use 127.0.0.1:4999',
    ].join('\n');
    expect(prismFailureLine(output, 13)).toBe(
      'Prism exited (code 13) before listening: listen EADDRINUSE: address already in use 127.0.0.1:4999',
    );
    expect(prismFailureLine('nothing useful', null)).toBe('Prism exited (code null) before listening');
  });
});
