import { loadSpec, resolveSchema } from '../contract/index.js';
import { atPointer } from '../../scripts/spec-walk.mjs';

export type Schema = Record<string, unknown>;

/** resolveSchema, `{}` for a node that resolves to nothing. */
export const resolve = (node: unknown): Schema => resolveSchema(node) ?? {};

/** The schema node a JSON pointer into the bundled spec names. */
export const schemaAt = (jsonPointer: string): Schema => resolve(atPointer(loadSpec(), jsonPointer));

export function typesOf(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}
