import { curlFor } from './http.js';
import { redactor } from '../internal/redact.js';
import { xmlEscape } from '../internal/xml.js';
import { exchangeLines } from './report-text.js';
import { counts, isConformant, tableOf } from './summary.js';
import type { CheckOutcome, TargetReport, Verdict } from './types.js';

export { xmlEscape };

const testcase = (classname: string, name: string, inner?: string) =>
  `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}"` +
  (inner === undefined ? '/>' : `>\n      ${inner}\n    </testcase>`);

/** JUnit XML: a testsuite per target, a testcase per operation × check. */
export function renderJUnit(reports: TargetReport[]): string {
  const { rows, cells } = tableOf(reports);
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = reports.map((r, t) => {
    const describe = (outcomes: CheckOutcome[]) =>
      outcomes
        .map((o) => [`${o.caseName}: ${o.reason ?? ''}`, ...exchangeLines(r.target.url, o, 1000)].join('\n'))
        .join('\n\n');
    const n = { failures: 0, skipped: 0, errors: r.setupProblem ? 1 : 0 };
    const cases = rows.flatMap((row, i) => {
      const cell = cells[t]![i];
      if (!cell) return [];
      const of = (v: Verdict) => cell.outcomes.filter((o) => o.verdict === v);
      const here = (inner?: string) =>
        testcase(`${r.target.name}.${row.operationId}`, `${row.operationId} ${row.check}`, inner);
      if (cell.verdict === 'failed') {
        n.failures++;
        const message = `${cell.failed} of ${cell.passed + cell.failed} cases failed: ${of('failed')[0]?.reason ?? ''}`;
        return here(
          `<failure message="${xmlEscape(message.slice(0, 500))}" type="${row.check}">${xmlEscape(describe(of('failed')))}</failure>`,
        );
      }
      if (cell.verdict === 'skipped') {
        n.skipped++;
        return here(`<skipped message="${xmlEscape(cell.outcomes[0]?.reason ?? 'skipped')}"/>`);
      }
      // A warning is a passing testcase: CI stays green, and the note says what was tolerated.
      if (cell.verdict === 'lenient') {
        const note = `lenient: ${cell.lenient} case(s) whose broken rule rests on our own decision, not the vendor's (--strict fails them)\n${describe(of('lenient'))}`;
        return here(`<system-out>${xmlEscape(note)}</system-out>`);
      }
      return here();
    });
    // A setup mistake judges nothing, so it is the suite's one testcase, an error: never a green 0 tests.
    if (r.setupProblem)
      cases.unshift(
        testcase(
          `${r.target.name}.setup`,
          'setup',
          `<error message="${xmlEscape(r.setupProblem.slice(0, 500))}" type="setup">${xmlEscape(r.setupProblem)}</error>`,
        ),
      );
    totals.tests += cases.length;
    totals.failures += n.failures;
    totals.errors += n.errors;
    totals.skipped += n.skipped;
    const property = (name: string, value: string) =>
      `      <property name="${name}" value="${xmlEscape(value)}"/>\n`;
    return (
      `  <testsuite name="${xmlEscape(`live-platform check: ${r.target.name}`)}" tests="${cases.length}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${(r.durationMs / 1000).toFixed(3)}">\n` +
      `    <properties>\n${property('url', r.target.url)}${property('runPrefix', r.runPrefix)}${r.incomplete ? property('incomplete', r.incomplete) : ''}    </properties>\n` +
      `${cases.join('\n')}\n  </testsuite>`
    );
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="live-platform check" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** The JSON report: per target the cells, every failure with its exchange and curl, skips, creations. */
export function renderJson(reports: TargetReport[], extra: { notConfigured?: string[] } = {}): string {
  const { rows, cells } = tableOf(reports);
  /** The outcomes of one verdict, each with the curl line that repeats its request. */
  const withCurl = (r: TargetReport, verdict: Verdict) =>
    r.outcomes
      .filter((o) => o.verdict === verdict)
      .map((o) => ({ ...o, ...(o.exchange ? { curl: curlFor(r.target.url, o.exchange.request) } : {}) }));
  const targets = reports.map((r, t) => ({
    name: r.target.name,
    kind: r.target.kind,
    url: r.target.url,
    conformant: isConformant(r),
    ...(r.setupProblem ? { setupProblem: r.setupProblem } : {}),
    ...(r.incomplete ? { incomplete: r.incomplete } : {}),
    runPrefix: r.runPrefix,
    ...(r.generated ? { generated: r.generated } : {}),
    requests: r.requests,
    durationMs: r.durationMs,
    counts: counts(r),
    checks: rows.flatMap((row, i) => {
      const cell = cells[t]![i];
      if (!cell) return [];
      const { verdict, passed, failed, skipped, lenient } = cell;
      return [{ ...row, verdict, passed, failed, skipped, lenient }];
    }),
    failures: withCurl(r, 'failed'),
    skipped: r.outcomes.filter((o) => o.verdict === 'skipped'),
    lenient: withCurl(r, 'lenient'),
    created: r.created,
  }));
  const notConfigured = extra.notConfigured ?? [];
  return JSON.stringify(
    { tool: 'live-platform check', conformant: reports.every(isConformant), notConfigured, targets },
    undefined,
    2,
  );
}

/**
 * Removes every secret, in every form (as written, JSON, XML, URL-encoded, base64), whatever its
 * length, from a whole report before it leaves the process. The exchanges were redacted before
 * their excerpts were cut; this is the second pass over everything else.
 */
export const redact = (text: string, secrets: string[]): string => redactor(secrets)(text);
