// What a constraint of the contract rests on (spec/README.md, "The evidence rule"). A schema object
// may carry `x-evidence`: a map from a JSON-Schema keyword of that object to its evidence. A keyword
// not listed rests on the vendor's documented rules (`vendor-table`), so it is strict by default.

import { loadSpec, type OperationInfo, type ValidationIssue } from '../contract/index.js';
import { atPointer, resolveRef } from '../internal/refs.js';

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

/**
 * What the rule an issue broke rests on: the `x-evidence` of the schema object that holds the
 * failing keyword. Ajv names that object by its schemaPath, in the contract (`#/components/...`,
 * `openapi.json#/...`) or inside the validated schema (`#/...`); a keyword reached through a `$ref`
 * sits in the referenced schema. Anything unresolvable is a vendor rule, so strict.
 */
export function issueEvidence(operation: OperationInfo, status: number, issue: ValidationIssue): Evidence {
  const path = issue.schemaPath;
  if (!path || !issue.keyword || !path.includes('#')) return 'vendor-table';
  const spec = loadSpec();
  const hash = path.indexOf('#');
  const inContract = path.slice(0, hash) === 'openapi.json' || path.startsWith('#/components/');
  const parent = path.slice(hash + 1, path.lastIndexOf('/'));
  const schemaPointer = operation.responses[String(status)]?.schemaPointer;
  const root = inContract
    ? spec
    : schemaPointer
      ? resolveRef(spec, atPointer(spec, schemaPointer))
      : undefined;
  let holder = atPointer(root, parent);
  if (holder && typeof holder === 'object' && !(issue.keyword in holder)) holder = resolveRef(spec, holder);
  return evidenceOf(holder, issue.keyword);
}
