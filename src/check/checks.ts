import {
  validateResponseBody,
  validateResponseHeaders,
  validateResponseText,
  type OperationInfo,
  type ValidationIssue,
} from '../contract/index.js';
import type { CaseKind } from './cases.js';
import { evidenceText, isLenient, type Evidence } from './evidence.js';
import { MAX_PARSED_BYTES } from './http.js';
import type { CheckName, CheckOutcome, Exchange, TargetKind } from './types.js';

export interface CheckContext {
  operation: OperationInfo;
  caseName: string;
  /** What the case tests; `workflow` requests get the checks every response gets, and no more. */
  kind: CaseKind | 'workflow';
  targetKind: TargetKind;
  maxResponseTimeMs?: number;
  /** Negative cases: what the broken constraint rests on. */
  evidence?: Evidence;
  /** Fail lenient cases too (--strict) instead of reporting them as warnings. */
  strict?: boolean;
}

/** A body of a million wrong items gives a million issues; a reason names the first few. */
const MAX_ISSUES = 10;
const issuesText = (issues: ValidationIssue[]) =>
  issues
    .slice(0, MAX_ISSUES)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ') + (issues.length > MAX_ISSUES ? `; … and ${issues.length - MAX_ISSUES} more` : '');
const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * Applies every check that concerns this exchange and says which passed and which failed, and why.
 * `json` is the parsed body, used here and then dropped; the outcomes keep only the exchange.
 */
export function applyChecks(ctx: CheckContext, exchange: Exchange, json?: unknown): CheckOutcome[] {
  const { operation } = ctx;
  const out: CheckOutcome[] = [];
  const verdict = (check: CheckName, failure?: string, lenient = false) =>
    out.push({
      operationId: operation.operationId,
      check,
      verdict: failure === undefined ? 'passed' : lenient ? 'lenient' : 'failed',
      caseName: ctx.caseName,
      ...(ctx.evidence ? { evidence: ctx.evidence } : {}),
      ...(failure === undefined ? {} : { reason: failure, exchange }),
    });

  const res = exchange.response;
  if (!res) {
    verdict('not_a_server_error', `no response: ${exchange.networkError ?? 'connection failed'}`);
    return out;
  }
  verdict('not_a_server_error', res.status >= 500 ? `the server answered ${res.status}` : undefined);
  if (ctx.maxResponseTimeMs !== undefined) {
    verdict(
      'max_response_time',
      res.elapsedMs > ctx.maxResponseTimeMs
        ? `answered in ${res.elapsedMs} ms, over the ${ctx.maxResponseTimeMs} ms limit`
        : undefined,
    );
  }
  if (ctx.kind === 'method') {
    verdict(
      'unsupported_method',
      res.status !== 405
        ? `${exchange.request.method} is not declared for ${operation.path}; expected 405, got ${res.status}`
        : // ASP.NET's endpoint routing answers an empty 405; the Allow header is then all it says.
          res.bodyExcerpt === '' && !res.headers.allow?.trim()
          ? 'an empty 405 without an Allow header: name the methods the path accepts'
          : undefined,
    );
    return out;
  }

  const declared = operation.responses[String(res.status)];
  const declaredList = Object.keys(operation.responses).join(', ');
  verdict(
    'status_code_conformance',
    declared
      ? undefined
      : `status ${res.status} is not declared for ${operation.operationId} (declared: ${declaredList})`,
  );
  // A stock JwtBearer 401 has no body, only WWW-Authenticate (`x-empty-body: true` in the contract);
  // the body checks then have nothing to check, and the header check after them still runs.
  const emptyAllowed = !!declared?.emptyBodyAllowed && res.bodyExcerpt === '';
  if (declared && !emptyAllowed) {
    if (declared.mediaTypes.length) {
      const got = mediaType(res.contentType);
      verdict(
        'content_type_conformance',
        declared.mediaTypes.includes(got)
          ? undefined
          : `content-type ${JSON.stringify(res.contentType || '(none)')}, expected ${declared.mediaTypes.join(' or ')} for ${res.status}`,
      );
    }
    const textValidator = declared.textValidator;
    if (textValidator && mediaType(res.contentType) === 'text/plain') {
      // ASP.NET's unquoted string result (the import's task id): the text itself is the value. The
      // excerpt is the whole text for any value the contract allows (a TaskId is at most 128 chars).
      const issues = validateResponseText(operation, res.status, res.bodyExcerpt);
      verdict(
        'response_schema_conformance',
        issues.length ? `text/plain body: ${issuesText(issues)}` : undefined,
      );
    } else if (declared.validator) {
      if (res.unparsedBytes !== undefined)
        verdict(
          'response_schema_conformance',
          `the ${res.status} body is ${res.unparsedBytes} bytes or more, over the ${MAX_PARSED_BYTES} the checker parses; the contract's bodies are a few kB`,
        );
      else if (!res.isJson) verdict('response_schema_conformance', `the ${res.status} body is not JSON`);
      else {
        const { issues } = validateResponseBody(operation, res.status, json);
        verdict('response_schema_conformance', issues.length ? issuesText(issues) : undefined);
      }
    }
  }
  if (declared?.headersValidator) {
    const issues = validateResponseHeaders(operation, res.status, res.headers);
    verdict(
      'response_headers_conformance',
      issues.length ? `headers of ${res.status}: ${issuesText(issues)}` : undefined,
    );
  }

  const status = res.status;
  if (ctx.kind === 'positive') {
    // A live tenant rarely holds the vendor's example ids; a 404 there still means the data was accepted.
    const accepted = (status >= 200 && status < 300) || (ctx.targetKind === 'live' && status === 404);
    verdict('positive_data_acceptance', accepted ? undefined : `a valid request was refused with ${status}`);
  } else if (ctx.kind === 'negative') {
    const accepted = status >= 200 && status < 300;
    // Accepting a body that breaks only our own decision is what a stock ASP.NET server does
    // (it ignores unknown members, enforces no format): a warning unless --strict.
    const ours = ctx.evidence !== undefined && isLenient(ctx.evidence);
    const lenient = accepted && ours && !ctx.strict;
    const why = ours
      ? `; the broken rule ${evidenceText(ctx.evidence!)}${lenient ? ', so this is a warning (--strict fails it)' : ''}`
      : '';
    verdict(
      'negative_data_rejection',
      accepted
        ? `an invalid body was accepted with ${status}${why}`
        : status < 400 || status >= 500
          ? `an invalid body got ${status}; expected a 4xx the spec declares`
          : !declared
            ? `an invalid body got ${status}, which the spec does not declare (declared: ${declaredList})`
            : undefined,
      lenient,
    );
  } else if (ctx.kind === 'auth-none' || ctx.kind === 'auth-wrong') {
    const what = ctx.kind === 'auth-none' ? 'without a token' : 'with a wrong token';
    verdict('ignored_auth', status === 401 ? undefined : `a request ${what} got ${status}; expected 401`);
  }
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
