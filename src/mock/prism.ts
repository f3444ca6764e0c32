import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundledSpecPath } from '../contract/spec.js';
import { assertCanListen, freePort, waitForPort } from './net.js';
import { httpUrl } from '../internal/http-server.js';

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
  /** Aborting stops Prism, even while it is still starting (the start then rejects with the reason). */
  signal?: AbortSignal;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Settles with Prism's exit code when it stops on its own (or is closed). */
  exited?: Promise<number | null>;
}

/** How to add the optional Prism peer (the version range package.json declares). */
export const PRISM_INSTALL = 'npm install --save-dev @stoplight/prism-cli@~5.14.2';

export class MissingPrismError extends Error {
  constructor() {
    super(
      'The mock needs @stoplight/prism-cli, which is an optional peer of live-platform-openapi. ' +
        `Install it with: ${PRISM_INSTALL}`,
    );
    this.name = 'MissingPrismError';
  }
}

/** The path of Prism's bin script; MissingPrismError when the optional peer is not installed. */
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

/** Prism is an optional peer: true when this install can start the mock. */
export function prismInstalled(): boolean {
  try {
    return !!prismBin();
  } catch {
    return false;
  }
}

/** Prism stopped before it listened. The message is one line; Prism's own output is on `output`. */
export class PrismStartError extends Error {
  override name = 'PrismStartError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/**
 * One line that says why Prism stopped: its `listen E...` or `Error: ...` line, never the yargs
 * help it prints after a fatal error.
 */
export function prismFailureLine(output: string, code: number | null): string {
  const lines = output.split('\n').map((l) => l.trim());
  const reason =
    lines.find((l) => /^listen E[A-Z]+/.test(l)) ??
    lines.find((l) => /\bE(ADDRINUSE|ADDRNOTAVAIL|ACCES|NOTFOUND)\b/.test(l)) ??
    lines.find((l) => /^(\w*Error|error):/.test(l));
  return `Prism exited (code ${code}) before listening${reason ? `: ${reason.slice(0, 300)}` : ''}`;
}

/** How long Prism gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 1000;
/** The same when the caller aborted (Ctrl-C): the command has 2 s to end, Prism keeps nothing. */
const ABORT_GRACE_MS = 250;

function stop(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
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
  const bin = prismBin();
  // A taken port (the readiness probe would reach the other server) or a host not ours (Prism would
  // retry it) is refused here, in milliseconds. Prism cannot report the port it took for 0: pick it.
  await assertCanListen(options.port ?? 0, host);
  const port = options.port || (await freePort(host));
  const args = ['mock', options.spec ?? bundledSpecPath, '--host', host, '--port', String(port)];
  args.push('--verboseLevel', options.verboseLevel ?? 'warn');
  options.signal?.throwIfAborted();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // No Prism outlives the command that started it (an exit handler may only do synchronous work).
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  const halt = () => stop(child, options.signal?.aborted ? ABORT_GRACE_MS : STOP_GRACE_MS);
  const onAbort = () => void halt();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const close = () => {
    options.signal?.removeEventListener('abort', onAbort);
    return halt();
  };
  let output = '';
  let listening = false;
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    if (output.length < 20_000) output += text;
    // Before it listens, Prism's output is kept for the error (its fatal path prints its help).
    if (listening) for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exited = exitCode.then((code): never => {
    throw new PrismStartError(prismFailureLine(output, code), output.slice(-4000));
  });
  exited.catch(() => {});
  try {
    await Promise.race([waitForPort(port, host, options.startTimeoutMs ?? 30_000, options.signal), exited]);
    options.signal?.throwIfAborted();
    // Something answered; make sure it is Prism and not a server that took the port meanwhile.
    if (child.exitCode !== null) await exited;
  } catch (err) {
    await close();
    throw options.signal?.aborted ? options.signal.reason : err;
  }
  listening = true;
  return {
    url: httpUrl(host, port),
    close,
    exited: exitCode,
  };
}
