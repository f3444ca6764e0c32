import { curlFor } from './http.js';
import { redactor } from '../internal/redact.js';
import { xmlEscape } from '../internal/xml.js';
import { cellFor, cellsOf, counts, isConformant, rowsOf } from './summary.js';
import type { CheckOutcome, TargetReport, Verdict } from './types.js';

export { xmlEscape };

function describe(report: TargetReport, o: CheckOutcome): string {
  const lines = [`${o.caseName}: ${o.reason ?? ''}`];
  const ex = o.exchange;
  if (ex) {
    const body = ex.request.body === undefined ? '' : ` ${JSON.stringify(ex.request.body).slice(0, 1000)}`;
    lines.push(`request: ${ex.request.method} ${ex.request.path} (auth: ${ex.request.auth})${body}`);
    lines.push(
      ex.response
        ? `response: ${ex.response.status} ${ex.response.contentType} ${ex.response.bodyExcerpt.slice(0, 1000)}`
        : `response: none (${ex.networkError ?? ''})`,
    );
    lines.push(`reproduce: ${curlFor(report.target.url, ex.request)}`);
  }
  return lines.join('\n');
}

/** JUnit XML: a testsuite per target, a testcase per operation × check. */
export function renderJUnit(reports: TargetReport[]): string {
  const rows = rowsOf(reports);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const totals = { tests: 0, failures: 0, skipped: 0, errors: 0 };
  const suites: string[] = [];
  for (const r of reports) {
    const cells = cellsOf(r);
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const row of rows) {
      const cell = cellFor(cells, row);
      if (!cell) continue;
      const attrs = `classname="${xmlEscape(`${r.target.name}.${row.operationId}`)}" name="${xmlEscape(`${row.operationId} ${row.check}`)}"`;
      if (cell.verdict === 'failed') {
        failures++;
        const failed = cell.outcomes.filter((o) => o.verdict === 'failed');
        const message = `${failed.length} of ${cell.passed + cell.failed} cases failed: ${failed[0]?.reason ?? ''}`;
        cases.push(
          `    <testcase ${attrs}>\n      <failure message="${xmlEscape(message.slice(0, 500))}" type="${row.check}">${xmlEscape(
            failed.map((o) => describe(r, o)).join('\n\n'),
          )}</failure>\n    </testcase>`,
        );
      } else if (cell.verdict === 'skipped') {
        skipped++;
        cases.push(
          `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(cell.outcomes[0]?.reason ?? 'skipped')}"/>\n    </testcase>`,
        );
      } else if (cell.verdict === 'lenient') {
        // A warning is a passing testcase: CI stays green, and the note says what was tolerated.
        const lenient = cell.outcomes.filter((o) => o.verdict === 'lenient');
        const note = `lenient: ${lenient.length} case(s) whose broken rule rests on our own decision, not the vendor's (--strict fails them)\n${lenient.map((o) => describe(r, o)).join('\n\n')}`;
        cases.push(
          `    <testcase ${attrs}>\n      <system-out>${xmlEscape(note)}</system-out>\n    </testcase>`,
        );
      } else cases.push(`    <testcase ${attrs}/>`);
    }
    // A setup mistake judges nothing, so it is the suite's one testcase, an error: never a green 0 tests.
    const errors = r.setupProblem ? 1 : 0;
    if (r.setupProblem)
      cases.unshift(
        `    <testcase classname="${xmlEscape(`${r.target.name}.setup`)}" name="setup">\n      <error message="${xmlEscape(r.setupProblem.slice(0, 500))}" type="setup">${xmlEscape(r.setupProblem)}</error>\n    </testcase>`,
      );
    totals.errors += errors;
    totals.tests += cases.length;
    totals.failures += failures;
    totals.skipped += skipped;
    suites.push(
      `  <testsuite name="${xmlEscape(`live-platform check: ${r.target.name}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">\n` +
        `    <properties>\n      <property name="url" value="${xmlEscape(r.target.url)}"/>\n      <property name="runPrefix" value="${xmlEscape(r.runPrefix)}"/>\n${r.incomplete ? `      <property name="incomplete" value="${xmlEscape(r.incomplete)}"/>\n` : ''}    </properties>\n` +
        `${cases.join('\n')}\n  </testsuite>`,
    );
  }
  out.push(
    `<testsuites name="live-platform check" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}">`,
    ...suites,
    '</testsuites>',
    '',
  );
  return out.join('\n');
}

/** The JSON report: per target the cells, every failure with its exchange and curl, skips, creations. */
export function renderJson(reports: TargetReport[], extra: { notConfigured?: string[] } = {}): string {
  const rows = rowsOf(reports);
  return JSON.stringify(
    {
      tool: 'live-platform check',
      conformant: reports.every(isConformant),
      notConfigured: extra.notConfigured ?? [],
      targets: reports.map((r) => {
        const cells = cellsOf(r);
        return {
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
          checks: rows.flatMap((row) => {
            const cell = cellFor(cells, row);
            return cell
              ? [
                  {
                    ...row,
                    verdict: cell.verdict,
                    passed: cell.passed,
                    failed: cell.failed,
                    skipped: cell.skipped,
                    lenient: cell.lenient,
                  },
                ]
              : [];
          }),
          failures: withCurl(r, 'failed'),
          skipped: r.outcomes.filter((o) => o.verdict === 'skipped'),
          lenient: withCurl(r, 'lenient'),
          created: r.created,
        };
      }),
    },
    undefined,
    2,
  );
}

/** The outcomes of one verdict, each with the curl line that repeats its request. */
const withCurl = (r: TargetReport, verdict: Verdict) =>
  r.outcomes
    .filter((o) => o.verdict === verdict)
    .map((o) => ({ ...o, ...(o.exchange ? { curl: curlFor(r.target.url, o.exchange.request) } : {}) }));

/**
 * Removes every secret, in every form (as written, JSON, XML, URL-encoded, base64), whatever its
 * length, from a whole report before it leaves the process. The exchanges were redacted before
 * their excerpts were cut; this is the second pass over everything else.
 */
export function redact(text: string, secrets: string[]): string {
  return redactor(secrets)(text);
}
