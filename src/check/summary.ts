import { operations } from '../contract/index.js';
import { CHECK_NAMES, type CheckName, type CheckOutcome, type TargetReport, type Verdict } from './types.js';

/** One operation × check of one target: how its cases went. */
export interface Cell {
  verdict: Verdict;
  passed: number;
  failed: number;
  skipped: number;
  /** Negative cases accepted where the broken rule is only our decision: warnings, not failures. */
  lenient: number;
  /** The outcomes behind the cell, failures, warnings and skips first. */
  outcomes: CheckOutcome[];
}

export interface Row {
  operationId: string;
  check: CheckName;
}

const key = (operationId: string, check: string) => `${operationId}\u0000${check}`;

export function cellsOf(report: TargetReport): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const o of report.outcomes) {
    const k = key(o.operationId, o.check);
    const cell = cells.get(k) ?? {
      verdict: 'skipped',
      passed: 0,
      failed: 0,
      skipped: 0,
      lenient: 0,
      outcomes: [],
    };
    cell[o.verdict]++;
    cell.outcomes.push(o);
    cells.set(k, cell);
  }
  for (const cell of cells.values()) {
    cell.verdict = cell.failed ? 'failed' : cell.lenient ? 'lenient' : cell.passed ? 'passed' : 'skipped';
    const rank = { failed: 0, lenient: 1, skipped: 2, passed: 3 } as const;
    cell.outcomes.sort((a, b) => rank[a.verdict] - rank[b.verdict]);
  }
  return cells;
}

export function cellFor(cells: Map<string, Cell>, row: Row): Cell | undefined {
  return cells.get(key(row.operationId, row.check));
}

/** Rows in contract order, then check order, for every pair any target reported. */
export function rowsOf(reports: TargetReport[]): Row[] {
  const present = new Set(reports.flatMap((r) => r.outcomes.map((o) => key(o.operationId, o.check))));
  const opOrder = [...operations.map((o) => o.operationId)];
  const rows: Row[] = [];
  for (const operationId of opOrder) {
    for (const check of CHECK_NAMES)
      if (present.has(key(operationId, check))) rows.push({ operationId, check });
  }
  return rows;
}

export const isConformant = (report: TargetReport) => !report.outcomes.some((o) => o.verdict === 'failed');

export function counts(report: TargetReport) {
  const c = { passed: 0, failed: 0, skipped: 0, lenient: 0 };
  for (const o of report.outcomes) c[o.verdict]++;
  return c;
}
