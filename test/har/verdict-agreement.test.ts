// One answer, one verdict: the same import answers judged by `check` (a small server) and by
// `validate` (the HAR that very run recorded) come out the same, by default and with --strict.
// The verdict is decided once, in the check registry's response_schema_conformance.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../../src/check/index.js';
import { validateRequestBody } from '../../src/contract/index.js';
import { readRecording } from '../../src/har/read.js';
import { HarRecorder } from '../../src/har/record.js';
import { validateRecording } from '../../src/har/validate.js';
import { redactor } from '../../src/internal/redact.js';
import {
  GOOD_TOKEN,
  LEAD_TENANT,
  startConforming,
  type RunningTestServer,
} from '../check/broken/conforming.js';
import { assertBuilt, cleanEnv, runCli } from '../check/cli-process.js';
import { checkAsTenant } from '../check/tenant.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lp-verdict-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The import's answer to every authorised request: what the tenant under test says. */
const ANSWERS = {
  // Breaks only TaskId's pattern (x-evidence: ours), as text/plain (an ASP.NET default).
  'our rule only': { contentType: 'text/plain', body: 'queued as task 185510', verdict: 'lenient' },
  // A JSON number where the vendor's example shows a string: a vendor rule.
  'a vendor rule': { contentType: 'application/json', body: '185510', verdict: 'failed' },
  // A task id as ASP.NET writes a string result.
  'no rule': { contentType: 'text/plain', body: 'tsk_185510', verdict: 'passed' },
} as const;

const schemaVerdicts = (outcomes: CheckOutcome[]) =>
  outcomes
    .filter((o) => o.check === 'response_schema_conformance' && o.operationId === 'importCustomerFromOvoc')
    .map((o) => o.verdict)
    .sort();

type Answer = (typeof ANSWERS)[keyof typeof ANSWERS];

/**
 * A conforming server but for the import, which answers every authorised valid request with
 * `answer` (an invalid one still gets its 400, so only the answer is under test).
 */
const answering = (answer: Answer): Promise<RunningTestServer> =>
  startConforming({
    override: ({ route, req, res, body }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'importCustomerFromOvoc')
        return false;
      if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}`) return false;
      if (validateRequestBody(route.operation, body).length) return false;
      res.writeHead(200, { 'content-type': answer.contentType });
      res.end(answer.body);
      return true;
    },
  });

/** Checks a server answering the import with `answer`, records the run, and validates the recording. */
async function bothVerdicts(answer: Answer, strict: boolean) {
  const server = await answering(answer);
  const recorder = new HarRecorder({
    creator: { name: 'test', version: '0' },
    redact: redactor([GOOD_TOKEN]),
  });
  try {
    const report = await checkAsTenant(server.url, {
      only: 'importCustomerFromOvoc',
      generate: false,
      onExchange: recorder.observe,
      ...(strict ? { strict: true } : {}),
    });
    const har = join(dir, `run-${strict ? 'strict' : 'default'}.har`);
    writeFileSync(har, JSON.stringify(recorder.toHar()));
    const validated = validateRecording(readRecording(har), strict ? { strict: true } : {});
    return { check: schemaVerdicts(report.outcomes), validate: schemaVerdicts(validated.report.outcomes) };
  } finally {
    await server.close();
  }
}

describe('check and validate agree on one answer', () => {
  for (const [name, answer] of Object.entries(ANSWERS)) {
    it(`an import answer that breaks ${name}: the same verdict from check and validate, by default and with --strict`, async () => {
      const lenient = await bothVerdicts(answer, false);
      expect(lenient.check).toContain(answer.verdict);
      expect(lenient.validate).toEqual(lenient.check);

      const strict = await bothVerdicts(answer, true);
      expect(strict.check).toContain(answer.verdict === 'passed' ? 'passed' : 'failed');
      expect(strict.check).not.toContain('lenient');
      expect(strict.validate).toEqual(strict.check);
    });
  }
});

describe('the commands agree on exit codes', () => {
  beforeAll(assertBuilt);

  it('an answer breaking only our rule: check and validate exit 0, and both exit 1 with --strict', async () => {
    const server = await answering(ANSWERS['our rule only']);
    const har = join(dir, 'cli.har');
    const check = (...extra: string[]) =>
      runCli(
        [
          'check',
          '--base-url',
          server.url,
          '--only',
          'importCustomerFromOvoc',
          '--no-generate',
          '--allow-writes',
          '--lead-tenant',
          LEAD_TENANT,
          ...extra,
        ],
        { env: cleanEnv({ LIVE_PLATFORM_TOKEN: GOOD_TOKEN }) },
      );
    try {
      const [lenient, strict] = await Promise.all([check('--har', har), check('--strict')]);
      expect(lenient.code, lenient.stdout + lenient.stderr).toBe(0);
      expect(lenient.stdout).toMatch(
        /^importCustomerFromOvoc\s+response_schema_conformance\s+warn \d+\/\d+/m,
      );
      expect(strict.code, strict.stdout + strict.stderr).toBe(1);
      expect(strict.stdout).toMatch(/^importCustomerFromOvoc\s+response_schema_conformance\s+FAIL \d+\/\d+/m);
    } finally {
      await server.close();
    }
    const [validate, validateStrict] = await Promise.all([
      runCli(['validate', har]),
      runCli(['validate', har, '--strict']),
    ]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/^importCustomerFromOvoc\s+response_schema_conformance\s+warn \d+\/\d+/m);
    expect(validateStrict.code, validateStrict.stdout + validateStrict.stderr).toBe(1);
    expect(validateStrict.stdout).toMatch(
      /^importCustomerFromOvoc\s+response_schema_conformance\s+FAIL \d+\/\d+/m,
    );
  }, 60_000);
});
