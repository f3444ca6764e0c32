import type { OperationInfo } from '../contract/index.js';
import { applyChecks } from '../check/checks.js';
import type { CheckOutcome, Exchange } from '../check/types.js';

/**
 * The checker's per-response checks, for an exchange nobody planned (a recording, the proxy's
 * traffic): the check registry decides every verdict, lenient ones included (a body that breaks
 * only rules resting on our decisions is a warning unless `strict`), so `validate`, the proxy and
 * `check` judge one answer alike.
 */
export const judgeExchange = (
  operation: OperationInfo,
  exchange: Exchange,
  json: unknown,
  options: { caseName: string; strict?: boolean | undefined },
): CheckOutcome[] =>
  applyChecks({ operation, kind: 'workflow', targetKind: 'live', ...options }, exchange, json);
