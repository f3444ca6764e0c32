import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { resolveRef } from '../../scripts/spec-walk.mjs';

const require = createRequire(import.meta.url);

/** The bundled contract (generated/openapi.json), loaded once. */
export type OpenApiDocument = {
  components: {
    examples: Record<string, { summary?: string; value: unknown }>;
    schemas: Record<string, unknown>;
  };
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

// Loaded on first use; require() keeps it.
export const loadSpec = (): OpenApiDocument => require('../../generated/openapi.json');

export const bundledSpecPath = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));

/** The value of a named example in components/examples. */
export function specExample<T = unknown>(name: string): T {
  const ex = loadSpec().components.examples[name];
  if (!ex) throw new Error(`no example named ${name} in the spec`);
  return structuredClone(ex.value) as T;
}

/**
 * The members a component schema declares (its `properties`): what a request names, as opposed to
 * what an open map carries beside them (the Essentials customer variables).
 */
export function schemaPropertyNames(name: string): ReadonlySet<string> {
  const schema = loadSpec().components.schemas[name] as { properties?: Record<string, unknown> } | undefined;
  if (!schema) throw new Error(`no schema named ${name} in the spec`);
  return new Set(Object.keys(schema.properties ?? {}));
}

type Schema = Record<string, unknown>;

/** A node of the bundled contract, its `$ref`s (chains too) followed; undefined when none resolves. */
export const resolveSchema = (node: unknown): Schema | undefined => resolveRef(loadSpec(), node);

/**
 * The schema and its allOf/anyOf/oneOf branches, resolved, recursively (10 levels at most): the
 * places a member may be declared, allOf's first.
 */
export function schemaBranches(schema: unknown, depth = 0): Schema[] {
  const s = resolveSchema(schema);
  if (!s || depth > 10) return [];
  const nested = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []));
  return [s, ...nested.flatMap((b) => schemaBranches(b, depth + 1))];
}
