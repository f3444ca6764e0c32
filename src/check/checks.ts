// The checks, one named function each (as Schemathesis's checks.py). The deterministic cases, the
// generated cases and the workflow steps all go through applyChecks, so a check means one thing
// whichever phase sent the request. task_lifecycle follows a task over many answers: followTask in
// arazzo.ts, which every phase calls for a task it starts.
import { mediaTypeOf } from '../internal/media-type.js';
import {
  validateResponseBody,
  validateResponseHeaders,
  validateResponseText,
  type OperationInfo,
  type ValidationIssue,
} from '../contract/index.js';
import { evidenceText, isLenient, issueEvidence, type Evidence } from './evidence.js';
import { holds, isStatusCriterion } from './expressions.js';
import { MAX_PARSED_BYTES } from './http.js';
import { refusesOnlyReferences } from './references.js';
import type { CaseKind, CheckContext, CheckName, CheckOutcome, CheckResponse, Exchange } from './types.js';
import { is2xx } from '../internal/status.js';

interface CheckInput {
  ctx: CheckContext;
  exchange: Exchange;
  res: CheckResponse;
  /** The parsed body, used here and then dropped; the outcomes keep only the exchange. */
  json: unknown;
  declared: OperationInfo['responses'][string] | undefined;
}

/**
 * What a check says: pass (undefined), fail (the reason), a failure that is only a warning, nothing
 * either way (an answer that says nothing about what the check asks), or null: the check does not
 * concern this exchange at all.
 */
type Finding =
  null | undefined | string | { failure: string; lenient: boolean; evidence?: Evidence } | { skip: string };

/** A body of a million wrong items gives a million issues; a reason names the first few. */
const MAX_ISSUES = 10;
const issuesText = (issues: ValidationIssue[]) =>
  issues
    .slice(0, MAX_ISSUES)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ') + (issues.length > MAX_ISSUES ? `; … and ${issues.length - MAX_ISSUES} more` : '');
const declaredList = (op: OperationInfo) => Object.keys(op.responses).join(', ');
/** Why a broken rule resting on an ASP.NET default or our own decision is only a warning. */
const brokenRule = (evidence: Evidence, strict: boolean | undefined) =>
  `; the broken rule ${evidenceText(evidence)}${strict ? '' : ', so this is a warning (--strict fails it)'}`;

/**
 * The verdict on a body that breaks the response schema, by what the broken rules rest on
 * (spec/README.md, "The evidence rule"): a failure if any of them is the vendor's; a warning
 * (`lenient`, a failure with --strict) when every one rests on an ASP.NET default or our own
 * decision. The one place this is decided: check, validate and the proxy all come here.
 */
function schemaFinding({ ctx, res }: CheckInput, issues: ValidationIssue[], reason: string): Finding {
  if (!issues.length) return undefined;
  const evidence = issues.map((i) => issueEvidence(ctx.operation, res.status, i));
  if (!evidence.every(isLenient)) return reason;
  return {
    failure: reason + brokenRule(evidence[0]!, ctx.strict),
    lenient: !ctx.strict,
    evidence: evidence[0]!,
  };
}

/** Requests that get the checks on what came back; a method probe and step criteria do not. */
const RESPONSE_KINDS = new Set<CaseKind>(['positive', 'negative', 'auth-none', 'auth-wrong', 'workflow']);
const isResponseCase = ({ ctx }: CheckInput) => RESPONSE_KINDS.has(ctx.kind);
/** A stock JwtBearer 401 has no body (`x-empty-body: true`); the body checks then have nothing to check. */
const hasBodyToCheck = (i: CheckInput) =>
  isResponseCase(i) && !!i.declared && !(i.declared.emptyBodyAllowed && i.res.bodyExcerpt === '');

/** The criteria of a step that did not hold, as a reason; undefined when all held. */
function unmetCriteria({ ctx, res }: CheckInput, which: (c: { condition: string }) => boolean): Finding {
  const step = ctx.step!;
  const unmet = step.criteria.filter(which).filter((c) => !holds(c, step.scope));
  if (!unmet.length) return undefined;
  const task = step.scope.body as { status?: unknown; details?: unknown } | undefined;
  const got =
    task && typeof task === 'object' && typeof task.status === 'string'
      ? `the task ended ${task.status} ${JSON.stringify(task.details ?? [])}`
      : `got status ${res.status}`;
  return `step ${step.stepId}: expected ${unmet.map((c) => c.condition).join(' and ')}; ${got}`;
}

/** The step's criteria stand for this check (the workflow's `x-check`). */
const criteriaCheck =
  (name: CheckName) =>
  (i: CheckInput): Finding =>
    i.ctx.kind === 'criteria' && i.ctx.step?.check === name ? unmetCriteria(i, () => true) : null;

export const CHECKS: Record<Exclude<CheckName, 'task_lifecycle'>, (input: CheckInput) => Finding> = {
  not_a_server_error: ({ ctx, res }) =>
    ctx.kind === 'criteria' ? null : res.status >= 500 ? `the server answered ${res.status}` : undefined,

  max_response_time: ({ ctx: { kind, maxResponseTimeMs: max }, res }) =>
    max === undefined || kind === 'criteria'
      ? null
      : res.elapsedMs > max
        ? `answered in ${res.elapsedMs} ms, over the ${max} ms limit`
        : undefined,

  unsupported_method: ({ ctx, exchange, res }) =>
    ctx.kind !== 'method'
      ? null
      : res.status !== 405
        ? `${exchange.request.method} is not declared for ${ctx.operation.path}; expected 405, got ${res.status}`
        : // ASP.NET's endpoint routing answers an empty 405; the Allow header is then all it says.
          res.bodyExcerpt === '' && !res.headers.allow?.trim()
          ? 'an empty 405 without an Allow header: name the methods the path accepts'
          : undefined,

  status_code_conformance: (i) =>
    !isResponseCase(i)
      ? null
      : i.declared
        ? undefined
        : `status ${i.res.status} is not declared for ${i.ctx.operation.operationId} (declared: ${declaredList(i.ctx.operation)})`,

  content_type_conformance: (i) => {
    const types = hasBodyToCheck(i) ? i.declared!.mediaTypes : [];
    if (!types.length) return null;
    return types.includes(mediaTypeOf(i.res.contentType))
      ? undefined
      : `content-type ${JSON.stringify(i.res.contentType || '(none)')}, expected ${types.join(' or ')} for ${i.res.status}`;
  },

  response_schema_conformance: (i) => {
    const { ctx, res, declared } = i;
    if (!hasBodyToCheck(i)) return null;
    if (declared!.textValidator && mediaTypeOf(res.contentType) === 'text/plain') {
      // ASP.NET's unquoted string result (the import's task id): the text itself is the value. The
      // excerpt is the whole text for any value the contract allows (a TaskId is at most 128 chars).
      const issues = validateResponseText(ctx.operation, res.status, res.bodyExcerpt);
      return schemaFinding(i, issues, `text/plain body: ${issuesText(issues)}`);
    }
    if (!declared!.validator) return null;
    // Too large to parse, or not JSON: no schema rule to weigh, so a failure.
    if (res.unparsedBytes !== undefined)
      return `the ${res.status} body is ${res.unparsedBytes} bytes or more, over the ${MAX_PARSED_BYTES} the checker parses; the contract's bodies are a few kB`;
    if (!res.isJson) return `the ${res.status} body is not JSON`;
    const { issues } = validateResponseBody(ctx.operation, res.status, i.json);
    return schemaFinding(i, issues, issuesText(issues));
  },

  response_headers_conformance: (i) => {
    if (!isResponseCase(i) || !i.declared?.headersValidator) return null;
    const issues = validateResponseHeaders(i.ctx.operation, i.res.status, i.res.headers);
    return issues.length ? `headers of ${i.res.status}: ${issuesText(issues)}` : undefined;
  },

  /**
   * A valid request is accepted: answered 2xx, or with what a server says about state the checker
   * cannot know (a 404 for an id the path names, on a live tenant or for a generated id; a declared
   * 409 for a generated name taken). A workflow step is accepted when its `$statusCode` criteria hold.
   */
  positive_data_acceptance: (i) => {
    const { ctx, res } = i;
    if (ctx.kind === 'criteria')
      return !ctx.step!.check && ctx.step!.criteria.some(isStatusCriterion)
        ? unmetCriteria(i, isStatusCriterion)
        : null;
    if (ctx.kind !== 'positive') return null;
    const status = res.status;
    if (is2xx(status)) return undefined;
    if (status === 429) return { skip: 'throttled (429): the answer says nothing about the data' };
    // An id in the body the server does not hold (an SBC of another tenant): its state.
    if (ctx.stateUnknown && refusesOnlyReferences(ctx.operation, status, i.json)) return undefined;
    const namesId = ctx.operation.parameters.some((p) => p.in === 'path');
    if (status === 404 && namesId && (ctx.stateUnknown || ctx.targetKind === 'live')) return undefined;
    if (status === 409 && ctx.stateUnknown && ctx.operation.responses['409']) return undefined;
    return `a valid request was refused with ${status}`;
  },

  negative_data_rejection: ({ ctx, res, declared }) => {
    if (ctx.kind !== 'negative') return null;
    const status = res.status;
    // Accepting a body that breaks only our own decision is what a stock ASP.NET server does
    // (it ignores unknown members, enforces no format): a warning unless --strict.
    const ours = ctx.evidence !== undefined && isLenient(ctx.evidence);
    if (is2xx(status))
      return {
        failure: `an invalid body was accepted with ${status}${ours ? brokenRule(ctx.evidence!, ctx.strict) : ''}`,
        lenient: ours && !ctx.strict,
      };
    if (status < 400 || status >= 500)
      return `an invalid body got ${status}; expected a 4xx the spec declares`;
    return declared
      ? undefined
      : `an invalid body got ${status}, which the spec does not declare (declared: ${declaredList(ctx.operation)})`;
  },

  ignored_auth: ({ ctx, res }) =>
    ctx.kind !== 'auth-none' && ctx.kind !== 'auth-wrong'
      ? null
      : res.status === 401
        ? undefined
        : `a request ${ctx.kind === 'auth-none' ? 'without a token' : 'with a wrong token'} got ${res.status}; expected 401`,

  duplicate_refused: criteriaCheck('duplicate_refused'),
  already_converted: criteriaCheck('already_converted'),
};

/**
 * Applies every check that concerns this exchange and says which passed and which failed, and why.
 * Without a response only not_a_server_error applies: nothing else has anything to look at.
 */
export function applyChecks(ctx: CheckContext, exchange: Exchange, json?: unknown): CheckOutcome[] {
  const outcome = (check: CheckName, finding: Exclude<Finding, null>): CheckOutcome => {
    if (typeof finding === 'object' && 'skip' in finding)
      return skipped(ctx.operation.operationId, check, ctx.caseName, finding.skip);
    const failure = typeof finding === 'object' ? finding.failure : finding;
    const lenient = typeof finding === 'object' && finding.lenient;
    // A response rule's own evidence, else the negative case's (what its request broke).
    const evidence = (typeof finding === 'object' && finding.evidence) || ctx.evidence;
    return {
      operationId: ctx.operation.operationId,
      check,
      verdict: failure === undefined ? 'passed' : lenient ? 'lenient' : 'failed',
      caseName: ctx.caseName,
      ...(evidence ? { evidence } : {}),
      ...(failure === undefined ? {} : { reason: failure, exchange }),
    };
  };
  const res = exchange.response;
  if (!res)
    return [outcome('not_a_server_error', `no response: ${exchange.networkError ?? 'connection failed'}`)];
  const declared = ctx.operation.responses[String(res.status)];
  return Object.entries(CHECKS).flatMap(([name, check]) => {
    const finding = check({ ctx, exchange, res, json, declared });
    return finding === null ? [] : [outcome(name as CheckName, finding)];
  });
}

export function skipped(
  operationId: string,
  check: CheckName,
  caseName: string,
  reason: string,
): CheckOutcome {
  return { operationId, check, verdict: 'skipped', caseName, reason };
}

const PRIMARY: Partial<Record<CaseKind, CheckName>> = {
  positive: 'positive_data_acceptance',
  negative: 'negative_data_rejection',
  method: 'unsupported_method',
};
/** The check a case exists for, under which a skipped case is reported. */
export const primaryCheck = (kind: CaseKind): CheckName => PRIMARY[kind] ?? 'ignored_auth';
