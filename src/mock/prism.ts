import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundledSpecPath } from '../contract/spec.js';
import { freePort, waitForPort } from './net.js';

export interface PrismMockOptions {
  port?: number;
  host?: string;
  /** Spec file to serve; defaults to the bundled contract. */
  spec?: string;
  /** Forward Prism's log lines here (default: discard). */
  log?: (line: string) => void;
  /** How long to wait for Prism to listen. */
  startTimeoutMs?: number;
  /**
   * Prism's log level. Defaults to `warn`: at `info` Prism writes several lines per request, which
   * costs it most of its throughput when nobody reads them.
   */
  verboseLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export class MissingPrismError extends Error {
  constructor() {
    super(
      'The mock needs @stoplight/prism-cli, which is an optional peer of live-platform-openapi. ' +
        'Install it with: npm install --save-dev @stoplight/prism-cli@~5.14.2',
    );
    this.name = 'MissingPrismError';
  }
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new MissingPrismError();
  }
  const pkg = require(pkgJson) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin.prism ?? Object.values(pkg.bin)[0]!);
  return join(dirname(pkgJson), bin);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Serves the contract with Prism (static examples, `Prefer: code=…, example=…` honoured) and
 * resolves once it accepts connections. Always call close(), even when a test fails.
 */
export async function startPrismMock(options: PrismMockOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const args = [
    prismBin(),
    'mock',
    options.spec ?? bundledSpecPath,
    '--host',
    host,
    '--port',
    String(port),
    '--verboseLevel',
    options.verboseLevel ?? 'warn',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    if (output.length < 20_000) output += text;
    for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`Prism exited (code ${code}) before listening:\n${output.slice(-2000)}`)),
    ),
  );
  try {
    await Promise.race([waitForPort(port, host, options.startTimeoutMs ?? 30_000), exited]);
  } catch (err) {
    await stop(child);
    throw err;
  }
  exited.catch(() => {});
  return { url: `http://${host}:${port}`, close: () => stop(child) };
}
