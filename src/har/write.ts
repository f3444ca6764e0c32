import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it, so a
 * crash, a full disk or a second signal mid-write leaves the old file (or none), never half a HAR.
 */
export async function writeWhole(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** A report or recording to its path, whole (see writeWhole), or to stdout when the path is `-`. */
export async function writeReport(path: string, text: string): Promise<void> {
  if (path === '-') process.stdout.write(`${text}\n`);
  else await writeWhole(path, text);
}
