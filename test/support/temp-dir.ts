// A temporary folder shared by one test file's tests (report paths and the like).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Makes a folder before the file's tests and removes it after them, pass or fail. `onReady` gets
 * its path, which the file keeps in a variable of its own.
 */
export function tempDirForFile(prefix: string, onReady: (dir: string) => void): void {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    onReady(dir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}
