import { validateResponseBody, validateResponseText, type OperationInfo } from '../contract/index.js';
import { applyChecks } from '../check/checks.js';
import { evidenceText, isLenient, issueEvidence } from '../check/evidence.js';
import type { CheckOutcome, Exchange } from '../check/types.js';

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * The checker's per-response checks, for an exchange nobody planned (a recording, the proxy's
 * traffic), and one step the checker's own cases do not need: a body that breaks only rules
 * resting on our decisions (an id pattern, a length bound the vendor never stated) is `lenient`,
 * a warning unless `strict`. A broken vendor rule anywhere in the body keeps it a failure.
 * The checker's own runs still fail every response rule (test/check/evidence.test.ts keeps a
 * text/plain import answer that is no task id a failure); folding this step into its
 * response_schema_conformance is one call to issueEvidence, if the project wants them to agree.
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
