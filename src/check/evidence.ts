// What a constraint of the contract rests on (spec/README.md, "The evidence rule"). A schema object
// may carry `x-evidence`: a map from a JSON-Schema keyword of that object to its evidence. A keyword
// not listed rests on the vendor's documented rules (`vendor-table`), so it is strict by default.

import { loadSpec, type OperationInfo, type ValidationIssue } from '../contract/index.js';
import { atPointer, resolveRef } from '../../scripts/spec-walk.mjs';

const EVIDENCE = ['vendor-example', 'vendor-table', 'sibling-page', 'aspnet-default', 'ours'] as const;
export type Evidence = (typeof EVIDENCE)[number];

/** The evidence `keyword` of `schema` rests on; `vendor-table` unless its `x-evidence` says otherwise. */
export function evidenceOf(schema: unknown, keyword: string): Evidence {
  const map =
    schema && typeof schema === 'object' ? (schema as { 'x-evidence'?: unknown })['x-evidence'] : undefined;
  const value = map && typeof map === 'object' ? (map as Record<string, unknown>)[keyword] : undefined;
  return EVIDENCE.includes(value as Evidence) ? (value as Evidence) : 'vendor-table';
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
