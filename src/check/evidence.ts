// What a contract rule rests on. A schema object of the bundled spec may carry `x-evidence`, a map
// from JSON-Schema keyword to its evidence; a keyword it does not list rests on the vendor's table.
// (Helper 12a owns the full version of this module; this is the same API, minimally implemented.)

export type Evidence = 'vendor-example' | 'vendor-table' | 'sibling-page' | 'aspnet-default' | 'ours';

const KNOWN = new Set<Evidence>(['vendor-example', 'vendor-table', 'sibling-page', 'aspnet-default', 'ours']);

export function evidenceOf(schema: unknown, keyword: string): Evidence {
  const map = (schema as { 'x-evidence'?: unknown } | null | undefined)?.['x-evidence'];
  const value = map && typeof map === 'object' ? (map as Record<string, unknown>)[keyword] : undefined;
  return typeof value === 'string' && KNOWN.has(value as Evidence) ? (value as Evidence) : 'vendor-table';
}

/** A rule we chose where the vendor is silent: a server that disagrees gets a warning, not a failure. */
export function isLenient(e: Evidence): boolean {
  return e === 'aspnet-default' || e === 'ours';
}
