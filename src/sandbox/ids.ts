import { randomUUID } from 'node:crypto';

/**
 * A random uuid as a flat string. Node's randomUUID() returns a rope of 36 small pieces (about
 * 490 bytes on the heap); a sandbox keeps several per entity for days, so it copies it into one
 * 36-byte string (about 50 bytes). `prefix` makes task ids such as `wst_<uuid>` the same way.
 */
export function newUuid(prefix = ''): string {
  return Buffer.from(prefix + randomUUID(), 'latin1').toString('latin1');
}
