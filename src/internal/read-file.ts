import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A file's UTF-8 text (a byte order mark dropped), or `tooLarge()` thrown past `max` bytes. Read to
 * the cap whatever stat says, since a pipe has no honest size and /dev/zero is endless.
 */
export function readFileCapped(path: string, max: number, tooLarge: () => Error): string {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size > max) throw tooLarge();
    const chunk = Buffer.allocUnsafe(Math.min(max + 1, 1024 * 1024));
    const chunks: Buffer[] = [];
    let size = 0;
    for (let n; (n = readSync(fd, chunk)) > 0;) {
      if ((size += n) > max) throw tooLarge();
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  } finally {
    closeSync(fd);
  }
}
