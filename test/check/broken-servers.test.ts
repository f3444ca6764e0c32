import { afterEach, describe, expect, it } from 'vitest';
import type { CheckName, TargetReport } from '../../src/check/index.js';
import { startAcceptsInvalid } from './broken/accepts-invalid.js';
import { startBadRetryAfter } from './broken/bad-retry-after.js';
import { startConforming, type RunningTestServer } from './broken/conforming.js';
import { startConvertsTwice } from './broken/converts-twice.js';
import { startDuplicateAccepted } from './broken/duplicate-accepted.js';
import { startEndlessBody } from './broken/endless-body.js';
import { startIgnoresAuth } from './broken/ignores-auth.js';
import { startRejectsValid } from './broken/rejects-valid.js';
import { startSchemaBreaking } from './broken/schema-breaking.js';
import { startServerError } from './broken/server-error.js';
import { SLOW_MS, startSlow } from './broken/slow.js';
import { startTaskRegresses } from './broken/task-regresses.js';
import { startUndeclaredStatus } from './broken/undeclared-status.js';
import { startWrongContentType } from './broken/wrong-content-type.js';
import { startWrongMethod200 } from './broken/wrong-method-200.js';
import { checkAsTenant } from './tenant.js';

let server: RunningTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function check(
  start: () => Promise<RunningTestServer>,
  extra: { maxResponseTimeMs?: number; generate?: boolean } = {},
) {
  server = await start();
  return checkAsTenant(server.url, extra);
}

const failedChecks = (r: TargetReport) =>
  [...new Set(r.outcomes.filter((o) => o.verdict === 'failed').map((o) => o.check))].sort();
const failuresOf = (r: TargetReport, check: CheckName) =>
  r.outcomes.filter((o) => o.verdict === 'failed' && o.check === check);

describe('src/check against deliberately broken servers (test/check/broken)', () => {
  it('passes the conforming server every broken one is derived from, workflows included', async () => {
    const report = await check(() => startConforming());
    expect(failedChecks(report)).toEqual([]);
    const passed = new Set(report.outcomes.filter((o) => o.verdict === 'passed').map((o) => o.check));
    for (const c of [
      'task_lifecycle',
      'duplicate_refused',
      'already_converted',
      'unsupported_method',
      'ignored_auth',
    ] as const) {
      expect(passed).toContain(c);
    }
  });

  it('not_a_server_error fails on a 500', async () => {
    const report = await check(startServerError);
    const [failure] = failuresOf(report, 'not_a_server_error');
    expect(failure?.reason).toBe('the server answered 500');
    expect(failure?.exchange?.request.path).toBe('/api/v2/customer');
  });

  it('status_code_conformance fails on a status the spec does not declare', async () => {
    const report = await check(startUndeclaredStatus);
    expect(failuresOf(report, 'status_code_conformance')[0]?.reason).toMatch(
      /status 422 is not declared for importCustomerFromOvoc/,
    );
  });

  it('content_type_conformance fails on text/plain where application/json is declared', async () => {
    const report = await check(startWrongContentType);
    expect(failedChecks(report)).toEqual(['content_type_conformance']);
    expect(failuresOf(report, 'content_type_conformance')[0]?.reason).toMatch(
      /text\/plain.*application\/json/,
    );
  });

  it('response_schema_conformance fails with the Ajv instance paths', async () => {
    const report = await check(startSchemaBreaking);
    expect(failedChecks(report)).toEqual(['response_schema_conformance']);
    const reason = failuresOf(report, 'response_schema_conformance')[0]?.reason ?? '';
    expect(reason).toMatch(/^\/tenantId: must be/);
  });

  it('stops reading a body that never ends, and fails it instead of hanging', async () => {
    const report = await check(startEndlessBody);
    const failures = failuresOf(report, 'response_schema_conformance');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]?.exchange?.response?.status ?? 200).toBe(200);
  });

  it('response_headers_conformance fails on a 429 with a malformed Retry-After and a 401 without WWW-Authenticate', async () => {
    const report = await check(startBadRetryAfter);
    const reasons = failuresOf(report, 'response_headers_conformance')
      .map((o) => o.reason)
      .join('\n');
    expect(reasons).toMatch(/429.*retry-after/);
    expect(reasons).toMatch(/401.*www-authenticate/);
  });

  it('negative_data_rejection fails when invalid bodies are accepted', async () => {
    const report = await check(startAcceptsInvalid);
    const failures = failuresOf(report, 'negative_data_rejection');
    expect(failures.length).toBeGreaterThan(5);
    expect(failures.every((f) => f.operationId === 'createEssentialsCustomer')).toBe(true);
    expect(failures.map((f) => f.caseName)).toContain('negative: /shortName pattern');
    expect(failures[0]?.reason).toMatch(/an invalid body was accepted with 200/);
  });

  it('positive_data_acceptance fails when the example body is refused', async () => {
    const report = await check(startRejectsValid);
    expect(failedChecks(report)).toEqual(['positive_data_acceptance']);
    expect(failuresOf(report, 'positive_data_acceptance')[0]?.reason).toBe(
      'a valid request was refused with 400',
    );
  });

  it('ignored_auth fails when getTask answers without a token and with a wrong one', async () => {
    const report = await check(startIgnoresAuth);
    expect(failedChecks(report)).toEqual(['ignored_auth']);
    const cases = failuresOf(report, 'ignored_auth')
      .map((f) => f.caseName)
      .sort();
    expect(cases).toEqual(['auth: no token', 'auth: wrong token']);
  });

  it('unsupported_method fails when a wrong method gets 200', async () => {
    const report = await check(startWrongMethod200);
    expect(failedChecks(report)).toEqual(['unsupported_method']);
    expect(failuresOf(report, 'unsupported_method')[0]?.reason).toMatch(
      /GET is not declared for \/api\/v2\/customer; expected 405, got 200/,
    );
  });

  it('max_response_time fails only when a limit is given', async () => {
    // Deterministic cases only: the generated phase's own CPU work, on a loaded machine, can delay
    // another operation's answer past so tight a limit (fuzz tests cover generation).
    const limited = await check(startSlow, { maxResponseTimeMs: SLOW_MS / 3, generate: false });
    expect(failedChecks(limited)).toEqual(['max_response_time']);
    expect(failuresOf(limited, 'max_response_time').every((f) => f.operationId === 'verifyLcCustomer')).toBe(
      true,
    );
    await server?.close();
    const unlimited = await check(startSlow, { generate: false });
    expect(unlimited.outcomes.some((o) => o.check === 'max_response_time')).toBe(false);
  });

  it('task_lifecycle fails when a task goes back from CompletedSuccess to InProgress', async () => {
    const report = await check(startTaskRegresses);
    expect(failedChecks(report)).toContain('task_lifecycle');
    // Every followed task regresses; which one fails first depends on timing, so look at them all.
    const reasons = failuresOf(report, 'task_lifecycle').map((o) => o.reason);
    expect(reasons.join('\n')).toMatch(/a terminal task changed: .*CompletedSuccess -> InProgress/);
  });

  it('duplicate_refused fails when the same short name is created twice', async () => {
    const report = await check(startDuplicateAccepted);
    expect(failedChecks(report)).toEqual(['duplicate_refused']);
    expect(failuresOf(report, 'duplicate_refused')[0]?.reason).toMatch(
      /step createDuplicate: expected \$statusCode >= 400 && \$statusCode < 500; got status 200/,
    );
  });

  it('already_converted fails when a lead converts twice', async () => {
    const report = await check(startConvertsTwice);
    expect(failedChecks(report)).toEqual(['already_converted']);
    expect(failuresOf(report, 'already_converted')[0]?.reason).toMatch(
      /step pollSecondConversion: expected \$\.details\[0\] == 'CustomerAlreadyConverted'; the task ended CompletedSuccess \["Converted"\]/,
    );
  });
});
