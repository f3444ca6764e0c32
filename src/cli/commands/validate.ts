import { isConformant, renderJson, renderJUnit, renderText } from '../../check/index.js';
import { driftText } from '../../har/drift.js';
import { MAX_HAR_BYTES, readRecording } from '../../har/read.js';
import { validateRecording, type RecordingReport } from '../../har/validate.js';
import { flags, helpHint, parse, printed, UsageError } from '../args.js';
import { deliver, reportPaths } from '../reports.js';

export const usage = `Usage: live-platform validate FILE.har [--strict] [--json FILE|-] [--junit FILE]

Holds recorded traffic against the contract: a HAR from \`live-platform proxy --har\`, \`check --har\`,
browser devtools, mitmproxy or Charles. Each entry is matched to its operation (requests to other
paths are listed, not judged) and its answer gets the checker's checks: status, content type, body
and headers. A broken vendor rule is a failure; a broken rule that rests on the project's own
decision is a "lenient" warning. It also lists drift worth knowing: task statuses, \`details\` words,
\`outputData\` shapes and members the contract has never seen.

  --strict       fail, instead of warn about, answers that break only the project's own decisions
  --json FILE    write a JSON report; \`--json -\` writes it to stdout and the table to stderr
  --junit FILE   write a JUnit XML report

Bodies recorded as base64 (\`"encoding": "base64"\`) are decoded as UTF-8. Files over
${MAX_HAR_BYTES / 1024 / 1024} MiB are refused, not streamed: record less, or split the recording.
Credentials found in the recording's Authorization headers never appear in a report.

Exit codes: 0 every answer conforms, 1 one does not, 2 the file is not a usable recording.`;

function sections({ unknown, noResponse, drift }: RecordingReport): string[] {
  const out: string[] = [];
  if (unknown.length) {
    out.push('', `Not in the contract (${unknown.length}; listed, not judged):`);
    for (const u of unknown.slice(0, 50))
      out.push(`  ${u.method} ${u.path} — ${u.count}× (first in entry ${u.firstEntry})`);
    if (unknown.length > 50) out.push(`  … and ${unknown.length - 50} more in the JSON report.`);
  }
  const more = noResponse.length > 20 ? ', …' : '';
  if (noResponse.length)
    out.push(
      '',
      `No answer recorded (${noResponse.length}; failed or cancelled while recording): entries ${noResponse.slice(0, 20).join(', ')}${more}`,
    );
  if (drift.length) out.push('', `Drift (${drift.length}; accepted by the contract, but never seen in it):`);
  return [...out, ...drift.map((d) => `  ~ ${driftText(d)}`)];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...flags('string', 'json', 'junit'), ...flags('boolean', 'strict') },
    'validate',
    true,
  );
  if (values.help) return printed(usage);
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? `validate takes one HAR file, not ${positionals.length}; validate them one at a time.`
        : `name the HAR file to validate, e.g. live-platform validate session.har\n${helpHint('validate')}`,
    );
  const file = positionals[0]!;
  const paths = await reportPaths(values, ['junit', 'json']);
  // A file that is not a usable recording throws HarInputError: its message, exit 2 (main.ts).
  const result = validateRecording(readRecording(file), { strict: values.strict });
  const { report, secrets, unknown, noResponse, drift } = result;
  const judged = report.requests - unknown.reduce((n, u) => n + u.count, 0) - noResponse.length;
  if (judged === 0) {
    throw new UsageError(
      report.requests === 0
        ? `${file} holds no entries; record some traffic first.`
        : `none of the ${report.requests} entries of ${file} is a request to an operation of the contract (first: ${unknown[0]?.method ?? ''} ${unknown[0]?.path ?? ''}); record the application's traffic to the Live Platform API.`,
    );
  }
  const text = [renderText([report]), ...sections(result)].join('\n');
  const json = () => {
    const recording = { file, entries: report.requests, judged, unknown, noResponse, drift };
    const base = JSON.parse(renderJson([report])) as Record<string, unknown>;
    return JSON.stringify({ ...base, tool: 'live-platform validate', recording }, undefined, 2);
  };
  const render = { junit: () => renderJUnit([report]), json };
  if (!(await deliver('validate', text, paths, render, secrets))) return 2;
  return isConformant(report) ? 0 : 1;
}
