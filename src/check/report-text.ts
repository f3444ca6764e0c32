import { excerpt } from '../internal/excerpt.js';
import { curlFor } from './http.js';
import { generatedSection } from './fuzz/report.js';
import { counts, tableOf, type Cell } from './summary.js';
import type { CheckOutcome, CreatedEntity, TargetReport, Verdict } from './types.js';

export interface TextReportOptions {
  /** Targets that were not checked, each with the line that says why (`live: not configured …`). */
  notConfigured?: string[];
  /** How many failures to detail; the JUnit and JSON reports hold all of them. */
  maxFailures?: number;
}

function cellText(cell: Cell | undefined): string {
  if (!cell) return '-';
  if (cell.verdict === 'failed') return `FAIL ${cell.failed}/${cell.passed + cell.failed}`;
  if (cell.verdict === 'lenient') return `warn ${cell.lenient}/${cell.passed + cell.lenient}`;
  if (cell.verdict === 'skipped') return 'skip';
  return cell.skipped ? `ok ${cell.passed} (+${cell.skipped} skip)` : `ok ${cell.passed}`;
}

/** Whitespace folded to single spaces, cut at `max` characters with an ellipsis. */
export const oneLine = (s: string, max = 300) => excerpt(s.replace(/\s+/g, ' ').trim(), max);

/** The request and the answer behind an outcome, and the curl that repeats it (the text and JUnit reports). */
export function exchangeLines(url: string, o: CheckOutcome, max?: number): string[] {
  const ex = o.exchange;
  if (!ex) return [];
  const body = ex.request.body === undefined ? '' : `  ${oneLine(JSON.stringify(ex.request.body), max)}`;
  const auth = { token: '', none: '  (no token)', wrong: '  (wrong token)' }[ex.request.auth];
  const r = ex.response;
  return [
    `request:   ${ex.request.method} ${ex.request.path}${auth}${body}`,
    r
      ? `response:  ${r.status} ${r.contentType || '(no content-type)'} in ${r.elapsedMs} ms  ${oneLine(r.bodyExcerpt, max)}`
      : `response:  none (${ex.networkError ?? 'connection failed'})`,
    `reproduce: ${curlFor(url, ex.request)}`,
  ];
}

/** What each write that was answered 2xx left behind: against a tenant, the clean-up list. */
const RESULT_TEXT: Record<NonNullable<CreatedEntity['result']>, string> = {
  created: 'created',
  failed: 'not created: its task ended CompletedFailed',
  'already-converted': 'not created: the lead was already converted (CustomerAlreadyConverted)',
  unknown: 'may exist: its task was not followed to its end',
};

function createdSection(r: TargetReport): string[] {
  const line = (c: CreatedEntity) =>
    `  ${c.operationId}: ${c.names.join(', ') || '(no name)'}${c.id ? ` -> ${c.id}` : ''}`;
  const made = r.created.filter((c) => (c.result ?? 'created') === 'created');
  const rest = r.created.filter((c) => (c.result ?? 'created') !== 'created');
  return [
    ...(made.length
      ? ['', `Created on ${r.target.name} (run prefix ${r.runPrefix}):`, ...made.map(line)]
      : []),
    ...(rest.length
      ? [
          '',
          `Writes on ${r.target.name} that created nothing, or perhaps something:`,
          ...rest.map((c) => `${line(c)} (${RESULT_TEXT[c.result!]})`),
        ]
      : []),
  ];
}

/** Every outcome of one verdict, with its target. */
const withVerdict = (reports: TargetReport[], verdict: Verdict) =>
  reports.flatMap((r) => r.outcomes.filter((o) => o.verdict === verdict).map((o) => ({ r, o })));

/** The side-by-side table (rows operation × check, a column per target), then skips, failures, creations. */
export function renderText(reports: TargetReport[], options: TextReportOptions = {}): string {
  // A setup mistake comes first: the rest of the report means nothing until it is fixed.
  const setupLines = reports.filter((r) => r.setupProblem).map((r) => `${r.target.name}: ${r.setupProblem}`);
  const { rows, cells } = tableOf(reports);
  const header = ['operation', 'check', ...reports.map((r) => r.target.name)];
  const body = rows.map((row, i) => [row.operationId, row.check, ...cells.map((c) => cellText(c[i]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out: string[] = setupLines.length ? [...setupLines, ''] : [];
  if (rows.length) out.push(fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt), '');
  out.push(...(options.notConfigured ?? []));

  // One line per reason, naming the operations it covers, so that a skip is visible but brief.
  const skips = new Map<string, Set<string>>();
  for (const { r, o } of withVerdict(reports, 'skipped')) {
    const k = `[${r.target.name}] ${o.check}: ${o.reason ?? ''}`;
    skips.set(k, (skips.get(k) ?? new Set()).add(o.operationId));
  }
  if (skips.size) {
    out.push('', 'Skipped (not a violation; the reason says what would run it):');
    for (const [line, ops] of skips) out.push(`  ${line.replace(': ', ` (${[...ops].join(', ')}): `)}`);
  }

  // Warnings: one line each, since the request is the case's name and nothing here is a defect.
  const warnings = withVerdict(reports, 'lenient');
  if (warnings.length) {
    out.push(
      '',
      `Lenient (${warnings.length}; not failures: the server accepted bodies, or sent answers, that break only our own decisions, as a stock ASP.NET server may; --strict fails them):`,
    );
    // An accepted body is the case itself; any other warning (an answer's rule) names its check.
    for (const { r, o } of warnings)
      out.push(
        `  ! [${r.target.name}] ${o.operationId} › ${o.caseName}${o.check === 'negative_data_rejection' ? '' : `: ${o.check}`} (${o.evidence ?? ''})`,
      );
  }

  const failures = withVerdict(reports, 'failed');
  if (failures.length) {
    const max = options.maxFailures ?? 40;
    out.push('', `Failures (${failures.length}):`);
    for (const { r, o } of failures.slice(0, max))
      out.push(
        `✗ [${r.target.name}] ${o.operationId} › ${o.check} — ${o.caseName}`,
        `    why:       ${o.reason ?? ''}`,
        ...exchangeLines(r.target.url, o).map((line) => `    ${line}`),
      );
    if (failures.length > max)
      out.push(`  … and ${failures.length - max} more in the JUnit and JSON reports (--junit, --json).`);
  }

  out.push(...generatedSection(reports), ...reports.flatMap(createdSection));

  if (out.length && out[out.length - 1] !== '') out.push('');
  for (const r of reports) {
    const c = counts(r);
    // A refused token fails every check; that says nothing about the server, so no verdict is given.
    const verdict = r.setupProblem
      ? 'not judged, a setup problem'
      : c.failed
        ? 'NOT conformant'
        : r.incomplete
          ? 'no failure in what ran (incomplete)'
          : 'conformant';
    out.push(
      `${r.target.name} (${r.target.url}): ${verdict} — ${r.requests} requests, ${c.passed} checks passed, ${c.failed} failed, ${c.skipped} skipped${c.lenient ? `, ${c.lenient} lenient` : ''}, ${(r.durationMs / 1000).toFixed(1)} s`,
    );
  }
  for (const r of reports)
    if (r.incomplete) out.push(`${r.target.name}: incomplete, ${r.incomplete}; the rest was not run.`);
  return out.join('\n');
}
