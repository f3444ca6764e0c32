import { operations } from '../contract/index.js';
import { CHECK_NAMES, type CheckName, type CheckOutcome, type TargetReport, type Verdict } from './types.js';

/** One operation × check of one target: how many of its cases had each verdict, and its verdict. */
export interface Cell extends Record<Verdict, number> {
  verdict: Verdict;
  /** The outcomes behind the cell, failures, warnings and skips first. */
  outcomes: CheckOutcome[];
}

export type Row = { operationId: string; check: CheckName };

export const isConformant = (report: TargetReport) => !report.outcomes.some((o) => o.verdict === 'failed');

export function counts(report: Pick<TargetReport, 'outcomes'>): Record<Verdict, number> {
  const c = { passed: 0, failed: 0, skipped: 0, lenient: 0 };
  for (const o of report.outcomes) c[o.verdict]++;
  return c;
}

const RANK = { failed: 0, lenient: 1, skipped: 2, passed: 3 } as const;
const key = (o: Row) => `${o.operationId}\u0000${o.check}`;

/**
 * The table every report is built on: a row per operation × check any target reported (contract
 * order, then check order), and for each target its cell in each row (undefined where it has none).
 */
export function tableOf(reports: TargetReport[]): { rows: Row[]; cells: (Cell | undefined)[][] } {
  const groups = reports.map((r) => {
    const byRow = new Map<string, CheckOutcome[]>();
    for (const o of r.outcomes) byRow.get(key(o))?.push(o) ?? byRow.set(key(o), [o]);
    return byRow;
  });
  const rows = operations.flatMap(({ operationId }) =>
    CHECK_NAMES.map((check) => ({ operationId, check })).filter((row) => groups.some((g) => g.has(key(row)))),
  );
  const cellOf = (outcomes: CheckOutcome[]): Cell => {
    const c = counts({ outcomes });
    const verdict = c.failed ? 'failed' : c.lenient ? 'lenient' : c.passed ? 'passed' : 'skipped';
    return { ...c, verdict, outcomes: outcomes.sort((a, b) => RANK[a.verdict] - RANK[b.verdict]) };
  };
  const cells = groups.map((g) => rows.map((row) => g.get(key(row)) && cellOf(g.get(key(row))!)));
  return { rows, cells };
}
