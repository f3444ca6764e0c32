// Runs the built CLI (bin/live-platform.js, which loads dist/) as a process, the way a user does,
// with none of the developer's own LIVE_PLATFORM_* variables leaking in.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(root, 'bin/live-platform.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The run outlived `timeout` and was killed: it did not end on its own. */
  killed: boolean;
}

/** The environment without any LIVE_PLATFORM_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('LIVE_PLATFORM_')),
  );
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/**
 * `live-platform <args>`; the exit code is -1 and `killed` true when the process outlived `timeout`
 * (default 60 s) and was killed. A test that says "it ends" asserts `killed` is false: an outcome,
 * where a wall-clock bound equal to the kill timeout could never fail.
 */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      // A hostile server's answers can fill the output: room enough that the buffer never ends a run.
      {
        cwd: root,
        env: options.env ?? cleanEnv(),
        timeout: options.timeout ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
          stdout,
          stderr,
          killed: err?.killed === true,
        }),
    );
  });
}

/** The process tests run dist/: fail with what to do when it was not built. */
export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist/cli/commands/check.js')))
    throw new Error('dist/ is missing: run npm run build (npm test does)');
}
