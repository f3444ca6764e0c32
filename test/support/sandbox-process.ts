// `live-platform sandbox` as a separate process, the way a user starts it: spawned, then its URL read
// from the banner it prints. The caller stops it (kill) in a finally or an afterEach.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface SandboxProcess {
  proc: ChildProcess;
  url: string;
  /** What it printed up to its URL, and what it prints after (the banner's other lines). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Spawns `command args` (a sandbox command line) and resolves with its URL once it has printed it. */
export async function spawnSandbox(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<SandboxProcess> {
  const proc = spawn(command, args, { ...options, stdio: 'pipe' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  let out = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL after 20 s: ${out}`)), 20_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      proc.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`exited before printing its URL: ${out}`));
      });
    });
    return { proc, url, exited, output: () => out };
  } catch (error) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    throw error;
  }
}
