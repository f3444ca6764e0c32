// What a constraint of the contract rests on (spec/README.md, "The evidence rule"). A schema object
// may carry `x-evidence`: a map from a JSON-Schema keyword of that object to its evidence. A keyword
// not listed rests on the vendor's documented rules (`vendor-table`), so it is strict by default.

export type Evidence = 'vendor-example' | 'vendor-table' | 'sibling-page' | 'aspnet-default' | 'ours';

const EVIDENCE: readonly Evidence[] = [
  'vendor-example',
  'vendor-table',
  'sibling-page',
  'aspnet-default',
  'ours',
];

const isEvidence = (v: unknown): v is Evidence => EVIDENCE.includes(v as Evidence);

/** The evidence `keyword` of `schema` rests on; `vendor-table` unless its `x-evidence` says otherwise. */
export function evidenceOf(schema: unknown, keyword: string): Evidence {
  if (!schema || typeof schema !== 'object') return 'vendor-table';
  const map = (schema as { 'x-evidence'?: unknown })['x-evidence'];
  if (!map || typeof map !== 'object') return 'vendor-table';
  const value = (map as Record<string, unknown>)[keyword];
  return isEvidence(value) ? value : 'vendor-table';
}

/**
 * Whether a server may legitimately disagree: the constraint rests on ASP.NET's defaults or on the
 * project's own decision, not on anything the vendor showed. Such a case is a warning, not a failure.
 */
export function isLenient(e: Evidence): boolean {
  return e === 'aspnet-default' || e === 'ours';
}

/** Why a lenient case is only a warning, for reports. */
export function evidenceText(e: Evidence): string {
  return e === 'ours'
    ? "rests on the project's own decision (the vendor is silent)"
    : e === 'aspnet-default'
      ? 'rests on an ASP.NET Core default (the vendor is silent)'
      : `rests on a ${e.replace('-', ' ')}`;
}
