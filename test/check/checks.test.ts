import { describe, expect, it } from 'vitest';
import { operationById } from '../../src/contract/index.js';
import { applyChecks, CHECKS } from '../../src/check/checks.js';
import { holds } from '../../src/check/expressions.js';
import { CHECK_NAMES, type CheckContext, type Exchange } from '../../src/check/types.js';

const answer = (status: number, body: unknown = {}): Exchange => ({
  request: { method: 'GET', path: '/x', auth: 'token' },
  response: {
    status,
    contentType: 'application/json',
    headers: {},
    bodyExcerpt: JSON.stringify(body),
    isJson: true,
    elapsedMs: 1,
  },
});
const verdictOf = (ctx: CheckContext, ex: Exchange, check: string, json?: unknown) =>
  applyChecks(ctx, ex, json).find((o) => o.check === check);

describe('src/check/checks.ts: one registry of named checks', () => {
  it('has one function for every check but the task lifecycle (followTask follows a task over many answers)', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(CHECK_NAMES.filter((c) => c !== 'task_lifecycle').sort());
  });

  it('positive_data_acceptance: a 404 for an id the path names is accepted only where the state is unknown', () => {
    const verify = operationById('verifyLcCustomer');
    const base = { operation: verify, caseName: 'c', kind: 'positive' as const };
    expect(
      verdictOf({ ...base, targetKind: 'sandbox' }, answer(404), 'positive_data_acceptance'),
    ).toMatchObject({
      verdict: 'failed',
      reason: 'a valid request was refused with 404',
    });
    expect(verdictOf({ ...base, targetKind: 'live' }, answer(404), 'positive_data_acceptance')?.verdict).toBe(
      'passed',
    );
    expect(
      verdictOf(
        { ...base, targetKind: 'sandbox', stateUnknown: true },
        answer(404),
        'positive_data_acceptance',
      )?.verdict,
    ).toBe('passed');
    // The create operation's path names no id: a 404 there is a refusal wherever it comes from.
    const create = {
      ...base,
      operation: operationById('createEssentialsCustomer'),
      targetKind: 'live' as const,
    };
    expect(verdictOf(create, answer(404), 'positive_data_acceptance')?.verdict).toBe('failed');
    expect(verdictOf(create, answer(409), 'positive_data_acceptance')?.verdict).toBe('failed');
    expect(
      verdictOf({ ...create, stateUnknown: true }, answer(409), 'positive_data_acceptance')?.verdict,
    ).toBe('passed');
    expect(verdictOf(create, answer(429), 'positive_data_acceptance')).toMatchObject({
      verdict: 'skipped',
      reason: expect.stringMatching(/throttled/),
    });
  });

  it("judges a workflow step's criteria by the check the workflow names, and reports the step", () => {
    const op = operationById('createEssentialsCustomer');
    const step = (statusCode: number) => ({
      stepId: 'createDuplicate',
      criteria: [{ condition: '$statusCode >= 400 && $statusCode < 500' }],
      scope: { inputs: {}, steps: {}, statusCode },
      check: 'duplicate_refused' as const,
    });
    const ctx = (statusCode: number): CheckContext => ({
      operation: op,
      caseName: 'w',
      kind: 'criteria',
      targetKind: 'sandbox',
      step: step(statusCode),
    });
    const refused = applyChecks(ctx(409), answer(409));
    expect(refused.map((o) => `${o.check} ${o.verdict}`)).toEqual(['duplicate_refused passed']);
    expect(applyChecks(ctx(200), answer(200))).toEqual([
      expect.objectContaining({
        check: 'duplicate_refused',
        verdict: 'failed',
        reason: 'step createDuplicate: expected $statusCode >= 400 && $statusCode < 500; got status 200',
      }),
    ]);
  });
});

describe('src/check/expressions.ts: the criteria spec/workflows uses', () => {
  const scope = (statusCode: number, body: unknown) => ({ inputs: {}, steps: {}, statusCode, body });
  it('reads array items and ranges', () => {
    const c = {
      condition: "$.details[0] == 'CustomerAlreadyConverted'",
      type: 'jsonpath',
      context: '$response.body',
    };
    expect(holds(c, scope(200, { details: ['CustomerAlreadyConverted'] }))).toBe(true);
    expect(holds(c, scope(200, { details: ['Converted'] }))).toBe(false);
    const range = { condition: '$statusCode >= 400 && $statusCode < 500' };
    expect([399, 400, 499, 500].map((s) => holds(range, scope(s, {})))).toEqual([false, true, true, false]);
    expect(holds({ condition: '$statusCode >= 400' }, { inputs: {}, steps: {} })).toBe(false);
  });
});
