import { loadSpec } from '../contract/index.js';
import { atPointer, resolveRef } from '../../scripts/spec-walk.mjs';

export type Schema = Record<string, unknown>;

/** Follows `$ref`s of the bundled spec (chains too) to the schema object they name (scripts/spec-walk.mjs). */
export const resolve = (node: unknown): Schema => resolveRef(loadSpec(), node) ?? {};

/** The schema node a JSON pointer into the bundled spec names. */
export const schemaAt = (jsonPointer: string): Schema => resolve(atPointer(loadSpec(), jsonPointer));

export function typesOf(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}
