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
 * What a check says: pass (undefined), fail (the reason), a failure that is only a warning, or
 * nothing either way (an answer that says nothing about what the check asks).
 */
type Finding =
  undefined | string | { failure: string; lenient: boolean; evidence?: Evidence } | { skip: string };

interface Check {
  /** Whether the check concerns this exchange at all. */
  applies(input: CheckInput): boolean;
  run(input: CheckInput): Finding;
}

/** A body of a million wrong items gives a million issues; a reason names the first few. */
const MAX_ISSUES = 10;
const issuesText = (issues: ValidationIssue[]) =>
  issues
    .slice(0, MAX_ISSUES)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ') + (issues.length > MAX_ISSUES ? `; … and ${issues.length - MAX_ISSUES} more` : '');
const declaredList = (op: OperationInfo) => Object.keys(op.responses).join(', ');

/**
 * The verdict on a body that breaks the response schema, by what the broken rules rest on
 * (spec/README.md, "The evidence rule"): a failure if any of them is the vendor's; a warning
 * (`lenient`, a failure with --strict) when every one rests on an ASP.NET default or our own
 * decision. The one place this is decided: check, validate and the proxy all come here.
 */
function schemaFinding(
  ctx: CheckContext,
  status: number,
  issues: ValidationIssue[],
  reason: string,
): Finding {
  const evidence = issues.map((i) => issueEvidence(ctx.operation, status, i));
  if (!evidence.every(isLenient)) return reason;
  const lenient = !ctx.strict;
  return {
    failure: `${reason}; the broken rule ${evidenceText(evidence[0]!)}${lenient ? ', so this is a warning (--strict fails it)' : ''}`,
    lenient,
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
const criteriaCheck = (name: CheckName): Check => ({
  applies: ({ ctx }) => ctx.kind === 'criteria' && ctx.step?.check === name,
  run: (i) => unmetCriteria(i, () => true),
});

export const CHECKS: Record<Exclude<CheckName, 'task_lifecycle'>, Check> = {
  not_a_server_error: {
    applies: ({ ctx }) => ctx.kind !== 'criteria',
    run: ({ res }) => (res.status >= 500 ? `the server answered ${res.status}` : undefined),
  },

  max_response_time: {
    applies: ({ ctx }) => ctx.maxResponseTimeMs !== undefined && ctx.kind !== 'criteria',
    run: ({ ctx, res }) =>
      res.elapsedMs > ctx.maxResponseTimeMs!
        ? `answered in ${res.elapsedMs} ms, over the ${ctx.maxResponseTimeMs} ms limit`
        : undefined,
  },

  unsupported_method: {
    applies: ({ ctx }) => ctx.kind === 'method',
    run: ({ ctx, exchange, res }) =>
      res.status !== 405
        ? `${exchange.request.method} is not declared for ${ctx.operation.path}; expected 405, got ${res.status}`
        : // ASP.NET's endpoint routing answers an empty 405; the Allow header is then all it says.
          res.bodyExcerpt === '' && !res.headers.allow?.trim()
          ? 'an empty 405 without an Allow header: name the methods the path accepts'
          : undefined,
  },

  status_code_conformance: {
    applies: isResponseCase,
    run: ({ ctx: { operation }, res, declared }) =>
      declared
        ? undefined
        : `status ${res.status} is not declared for ${operation.operationId} (declared: ${declaredList(operation)})`,
  },

  content_type_conformance: {
    applies: (i) => hasBodyToCheck(i) && i.declared!.mediaTypes.length > 0,
    run: ({ res, declared }) =>
      declared!.mediaTypes.includes(mediaTypeOf(res.contentType))
        ? undefined
        : `content-type ${JSON.stringify(res.contentType || '(none)')}, expected ${declared!.mediaTypes.join(' or ')} for ${res.status}`,
  },

  response_schema_conformance: {
    applies: (i) =>
      hasBodyToCheck(i) &&
      ((!!i.declared!.textValidator && mediaTypeOf(i.res.contentType) === 'text/plain') ||
        !!i.declared!.validator),
    run: ({ ctx, res, declared, json }) => {
      const { operation } = ctx;
      if (declared!.textValidator && mediaTypeOf(res.contentType) === 'text/plain') {
        // ASP.NET's unquoted string result (the import's task id): the text itself is the value. The
        // excerpt is the whole text for any value the contract allows (a TaskId is at most 128 chars).
        const issues = validateResponseText(operation, res.status, res.bodyExcerpt);
        return issues.length
          ? schemaFinding(ctx, res.status, issues, `text/plain body: ${issuesText(issues)}`)
          : undefined;
      }
      // Too large to parse, or not JSON: no schema rule to weigh, so a failure.
      if (res.unparsedBytes !== undefined)
        return `the ${res.status} body is ${res.unparsedBytes} bytes or more, over the ${MAX_PARSED_BYTES} the checker parses; the contract's bodies are a few kB`;
      if (!res.isJson) return `the ${res.status} body is not JSON`;
      const { issues } = validateResponseBody(operation, res.status, json);
      return issues.length ? schemaFinding(ctx, res.status, issues, issuesText(issues)) : undefined;
    },
  },

  response_headers_conformance: {
    applies: (i) => isResponseCase(i) && !!i.declared?.headersValidator,
    run: ({ ctx: { operation }, res }) => {
      const issues = validateResponseHeaders(operation, res.status, res.headers);
      return issues.length ? `headers of ${res.status}: ${issuesText(issues)}` : undefined;
    },
  },

  /**
   * A valid request is accepted: answered 2xx, or with what a server says about state the checker
   * cannot know (a 404 for an id the path names, on a live tenant or for a generated id; a declared
   * 409 for a generated name taken). A workflow step is accepted when its `$statusCode` criteria hold.
   */
  positive_data_acceptance: {
    applies: ({ ctx }) =>
      ctx.kind === 'positive' ||
      (ctx.kind === 'criteria' && !ctx.step!.check && ctx.step!.criteria.some(isStatusCriterion)),
    run: (i) => {
      const { ctx, res } = i;
      if (ctx.step) return unmetCriteria(i, isStatusCriterion);
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
  },

  negative_data_rejection: {
    applies: ({ ctx }) => ctx.kind === 'negative',
    run: ({ ctx, res, declared }) => {
      const status = res.status;
      const accepted = is2xx(status);
      // Accepting a body that breaks only our own decision is what a stock ASP.NET server does
      // (it ignores unknown members, enforces no format): a warning unless --strict.
      const ours = ctx.evidence !== undefined && isLenient(ctx.evidence);
      const lenient = accepted && ours && !ctx.strict;
      const why = ours
        ? `; the broken rule ${evidenceText(ctx.evidence!)}${lenient ? ', so this is a warning (--strict fails it)' : ''}`
        : '';
      const failure = accepted
        ? `an invalid body was accepted with ${status}${why}`
        : status < 400 || status >= 500
          ? `an invalid body got ${status}; expected a 4xx the spec declares`
          : !declared
            ? `an invalid body got ${status}, which the spec does not declare (declared: ${declaredList(ctx.operation)})`
            : undefined;
      return failure === undefined ? undefined : { failure, lenient };
    },
  },

  ignored_auth: {
    applies: ({ ctx }) => ctx.kind === 'auth-none' || ctx.kind === 'auth-wrong',
    run: ({ ctx, res }) =>
      res.status === 401
        ? undefined
        : `a request ${ctx.kind === 'auth-none' ? 'without a token' : 'with a wrong token'} got ${res.status}; expected 401`,
  },

  duplicate_refused: criteriaCheck('duplicate_refused'),
  already_converted: criteriaCheck('already_converted'),
};

/**
 * Applies every check that concerns this exchange and says which passed and which failed, and why.
 * Without a response only not_a_server_error applies: nothing else has anything to look at.
 */
export function applyChecks(ctx: CheckContext, exchange: Exchange, json?: unknown): CheckOutcome[] {
  const outcome = (check: CheckName, finding: Finding): CheckOutcome => {
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
  const input: CheckInput = {
    ctx,
    exchange,
    res,
    json,
    declared: ctx.operation.responses[String(res.status)],
  };
  const out: CheckOutcome[] = [];
  for (const [name, check] of Object.entries(CHECKS) as [CheckName, Check][])
    if (check.applies(input)) out.push(outcome(name, check.run(input)));
  return out;
}

export function skipped(
  operationId: string,
  check: CheckName,
  caseName: string,
  reason: string,
): CheckOutcome {
  return { operationId, check, verdict: 'skipped', caseName, reason };
}

/** The check a case exists for, under which a skipped case is reported. */
export function primaryCheck(kind: CaseKind): CheckName {
  return kind === 'positive'
    ? 'positive_data_acceptance'
    : kind === 'negative'
      ? 'negative_data_rejection'
      : kind === 'method'
        ? 'unsupported_method'
        : 'ignored_auth';
}
