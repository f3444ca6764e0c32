import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, type TargetReport } from '../../src/check/index.js';
import { startPrismMock, type RunningServer } from '../../src/mock/prism.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

let mock: RunningServer;
let sandbox: RunningSandbox;

beforeAll(async () => {
  [mock, sandbox] = await Promise.all([startPrismMock(), startSandbox({ port: 0, taskDurationMs: 100 })]);
});
afterAll(async () => {
  await Promise.all([mock?.close(), sandbox?.close()]);
});

const failures = (r: TargetReport) =>
  r.outcomes
    .filter((o) => o.verdict === 'failed')
    .map((o) => `${o.operationId} ${o.check} ${o.caseName}: ${o.reason}`);
const verdicts = (r: TargetReport, check: string) =>
  new Set(r.outcomes.filter((o) => o.check === check).map((o) => o.verdict));

describe('src/check/run.ts against the Prism mock and the sandbox', () => {
  it('finds the Prism mock conformant, and says why the stateful and wrong-token checks are skipped', async () => {
    const report = await checkTarget({ baseUrl: mock.url, token: 'mock-token', kind: 'mock' });
    expect(failures(report)).toEqual([]);
    const skips = report.outcomes.filter((o) => o.verdict === 'skipped');
    expect(
      skips
        .filter((o) => o.reason === 'Prism is stateless')
        .map((o) => o.check)
        .sort(),
    ).toEqual(['already_converted', 'duplicate_refused', 'task_lifecycle']);
    expect(
      skips
        .filter((o) => o.caseName === 'auth: wrong token')
        .every((o) => /Prism accepts any bearer/.test(o.reason ?? '')),
    ).toBe(true);
    // Prism does not enforce unevaluatedProperties; the extra customer variable's string type is our
    // own decision, so that case is a lenient warning, not a failure.
    expect(
      report.outcomes.filter((o) => o.verdict === 'lenient').map((o) => `${o.operationId} ${o.caseName}`),
    ).toEqual(['createEssentialsCustomer negative: / unevaluatedProperties type']);
    for (const check of ['positive_data_acceptance', 'unsupported_method', 'response_schema_conformance']) {
      expect(verdicts(report, check)).toEqual(new Set(['passed']));
    }
    expect(report.created).toEqual([]);
  });

  it('finds the sandbox conformant, workflows included, twice in a row on the same server', async () => {
    for (let run = 0; run < 2; run++) {
      const report = await checkTarget({ baseUrl: sandbox.url, token: sandbox.tokens[0]!, kind: 'sandbox' });
      expect(failures(report)).toEqual([]);
      expect(report.outcomes.filter((o) => o.verdict === 'skipped')).toEqual([]);
      for (const check of ['task_lifecycle', 'already_converted', 'duplicate_refused', 'ignored_auth']) {
        expect(verdicts(report, check)).toEqual(new Set(['passed']));
      }
      expect(report.created.length).toBeGreaterThan(0);
      for (const c of report.created)
        for (const name of c.names) expect(name.startsWith(report.runPrefix)).toBe(true);
    }
  });

  it('checks one operation with `only`', async () => {
    const report = await checkTarget({
      baseUrl: sandbox.url,
      token: sandbox.tokens[0]!,
      kind: 'sandbox',
      only: 'verifyLcCustomer',
    });
    expect(new Set(report.outcomes.map((o) => o.operationId))).toEqual(new Set(['verifyLcCustomer']));
    expect(failures(report)).toEqual([]);
  });
});
