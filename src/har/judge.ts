import {
  loadSpec,
  validateResponseBody,
  validateResponseText,
  type OperationInfo,
  type ValidationIssue,
} from '../contract/index.js';
import { applyChecks } from '../check/checks.js';
import { evidenceOf, evidenceText, isLenient, type Evidence } from '../check/evidence.js';
import type { CheckOutcome, Exchange } from '../check/types.js';

/**
 * Follows a JSON pointer (`#/a/b` or `/a/b`) from `node`, through the `$ref`s on the way, which
 * point into the bundled contract. Bounded: a cycle of references ends as "not found".
 */
function at(node: unknown, pointer: string, hops = 0): unknown {
  if (hops > 32) return undefined;
  const spec = loadSpec();
  for (const raw of pointer.replace(/^#?\//, '').split('/')) {
    if (raw === '') continue;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const ref = (node as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/') && !(key in (node as object)))
      node = at(spec, ref, hops + 1);
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * What the rule an issue broke rests on: the `x-evidence` of the schema object that holds the
 * failing keyword. Ajv names that object by its schemaPath, in the contract (`#/components/...`)
 * or inside the validated schema; anything unresolvable is a vendor rule, so strict.
 */
export function issueEvidence(operation: OperationInfo, status: number, issue: ValidationIssue): Evidence {
  const path = issue.schemaPath;
  if (!path || !issue.keyword) return 'vendor-table';
  const spec = loadSpec();
  // `#/components/...` and `openapi.json#/...` point into the bundled contract; a bare `#/...`
  // points into the validated schema itself.
  const hash = path.indexOf('#');
  const inContract = path.slice(0, hash) === 'openapi.json' || path.startsWith('#/components/');
  const parent = path.slice(hash, path.lastIndexOf('/'));
  const schemaPointer = operation.responses[String(status)]?.schemaPointer;
  let holder = inContract
    ? at(spec, parent)
    : schemaPointer
      ? at(at(spec, schemaPointer), parent)
      : undefined;
  // A keyword reached through a `$ref` (`schema: {$ref: TaskId}`) sits in the referenced schema.
  const ref = (holder as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref === 'string' && !(issue.keyword in (holder as object))) holder = at(spec, ref);
  return evidenceOf(holder, issue.keyword);
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * The checker's per-response checks, for an exchange nobody planned (a recording, the proxy's
 * traffic), and one step the checker's own cases do not need: a body that breaks only rules
 * resting on our decisions (an id pattern, a length bound the vendor never stated) is `lenient`,
 * a warning unless `strict`. A broken vendor rule anywhere in the body keeps it a failure.
 */
export function judgeExchange(
  operation: OperationInfo,
  exchange: Exchange,
  json: unknown,
  options: { caseName: string; strict?: boolean },
): CheckOutcome[] {
  const outcomes = applyChecks(
    { operation, caseName: options.caseName, kind: 'workflow', targetKind: 'live' },
    exchange,
    json,
  );
  const res = exchange.response;
  if (!res || options.strict) return outcomes;
  for (const o of outcomes) {
    if (o.check !== 'response_schema_conformance' || o.verdict !== 'failed') continue;
    const textBody = mediaType(res.contentType) === 'text/plain';
    const issues = textBody
      ? validateResponseText(operation, res.status, res.bodyExcerpt)
      : res.isJson
        ? validateResponseBody(operation, res.status, json).issues
        : [];
    if (!issues.length) continue;
    const evidence = issues.map((i) => issueEvidence(operation, res.status, i));
    if (!evidence.every(isLenient)) continue;
    o.verdict = 'lenient';
    o.evidence = evidence[0]!;
    o.reason = `${o.reason ?? ''}; the broken rule ${evidenceText(evidence[0]!)}, so this is a warning (--strict fails it)`;
  }
  return outcomes;
}
