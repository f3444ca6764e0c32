// A recording made through the proxy in front of a tenant that misbehaves: `validate` finds each
// planted drift and tolerates what the evidence rule tolerates; the proxy marks each answer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../src/internal/redact.js';
import { readRecording } from '../../src/har/read.js';
import { HarRecorder } from '../../src/har/record.js';
import { validateRecording, type RecordingReport } from '../../src/har/validate.js';
import { startProxy, VIOLATIONS_HEADER } from '../../src/proxy/index.js';
import { assertBuilt, runCli } from '../check/cli-process.js';
import { ANSWERS, startMisbehaving, TOKEN } from './misbehaving.js';

let dir: string;
let harPath: string;
const violations = new Map<string, string>();
let upstreamSaw: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lp-har-proxy-'));
  harPath = join(dir, 'tenant.har');
  const tenant = await startMisbehaving();
  let proxyRedact: (t: string) => string = (t) => t;
  const recorder = new HarRecorder({
    creator: { name: 'test', version: '0' },
    redact: (t) => proxyRedact(t),
  });
  const proxy = await startProxy({ upstream: tenant.url, onExchange: recorder.observe });
  proxyRedact = proxy.redact;
  try {
    for (const key of Object.keys(ANSWERS)) {
      const [method, path] = key.split(' ') as [string, string];
      const res = await fetch(`${proxy.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify({ shortName: 'x' }) }),
      });
      await res.text();
      violations.set(key, res.headers.get(VIOLATIONS_HEADER) ?? '(absent)');
    }
    writeFileSync(harPath, proxy.redact(JSON.stringify(recorder.toHar())));
    upstreamSaw = tenant.requests;
  } finally {
    await proxy.close();
    await tenant.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcomesOf = (r: RecordingReport, caseFragment: string) =>
  r.report.outcomes.filter((o) => o.caseName.includes(caseFragment));
const verdictOf = (r: RecordingReport, caseFragment: string, check: string) =>
  outcomesOf(r, caseFragment).find((o) => o.check === check)?.verdict;

describe('proxy in front of a misbehaving tenant', () => {
  it('forwards every request with its token to the upstream, and keeps the token out of the HAR', () => {
    expect(upstreamSaw).toHaveLength(Object.keys(ANSWERS).length);
    for (const line of upstreamSaw) expect(line.endsWith(`Bearer ${TOKEN}`)).toBe(true);
    const text = readFileSync(harPath, 'utf8');
    for (const form of secretForms([TOKEN])) expect(text).not.toContain(form);
  });

  it('names the violations of each answer in its header', () => {
    expect(violations.get('GET /api/v2/task/tsk_1')).toContain('response_schema_conformance');
    expect(violations.get('PUT /api/ovoc/v1/topology/customers/85844')).toContain('content_type_conformance');
    expect(violations.get('POST /api/v3/customer')).toBe('none');
    expect(violations.get('GET /api/v2/task/wst_ok')).toBe('response_schema_conformance;lenient');
  });
});

describe('validate on the recording', () => {
  it('fails a status outside the enum, a missing required member and a wrong content type', () => {
    const r = validateRecording(readRecording(harPath));
    expect(verdictOf(r, '/api/v2/task/tsk_1', 'response_schema_conformance')).toBe('failed');
    expect(outcomesOf(r, '/api/v2/task/tsk_1').find((o) => o.verdict === 'failed')?.reason).toMatch(
      /\/status: must be equal to one of the allowed values/,
    );
    expect(outcomesOf(r, '/api/v2/task/tsk_2').find((o) => o.verdict === 'failed')?.reason).toMatch(
      /createTime/,
    );
    expect(verdictOf(r, '/customers/85844', 'content_type_conformance')).toBe('failed');
  });

  it('tolerates a text/plain task id, extra members and {jobId}, and reports them as drift', () => {
    const r = validateRecording(readRecording(harPath));
    for (const tolerated of [
      '182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport',
      'POST /api/v3/customer',
      '/api/v2/task/tsk_3',
    ])
      expect(
        outcomesOf(r, tolerated).filter((o) => o.verdict !== 'passed'),
        tolerated,
      ).toEqual([]);
    const drift = r.drift.map((d) => `${d.kind} ${d.value}`);
    expect(drift).toContain('task-status Paused');
    expect(drift).toContain('detail-word Reticulated');
    expect(drift).toContain('output-shape {batchId}');
    expect(drift).toContain('unknown-member /priority');
  });

  it('warns about a rule of our own decision, and fails it with --strict', () => {
    const textId = '/7d0a3c55-4b1e-4f0e-9a2b-1c3d5e7f9a0b/action/ovocimport';
    expect(verdictOf(validateRecording(readRecording(harPath)), textId, 'response_schema_conformance')).toBe(
      'lenient',
    );
    expect(
      verdictOf(
        validateRecording(readRecording(harPath), { strict: true }),
        textId,
        'response_schema_conformance',
      ),
    ).toBe('failed');
    expect(
      verdictOf(validateRecording(readRecording(harPath)), '/task/wst_ok', 'response_schema_conformance'),
    ).toBe('lenient');
    expect(
      verdictOf(
        validateRecording(readRecording(harPath), { strict: true }),
        '/task/wst_ok',
        'response_schema_conformance',
      ),
    ).toBe('failed');
  });

  it('exits 1 from the CLI, with the drift listed and no token anywhere', async () => {
    assertBuilt();
    const result = await runCli(['validate', harPath, '--json', join(dir, 'report.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Drift');
    expect(result.stdout).toContain('task status "Paused"');
    const report = readFileSync(join(dir, 'report.json'), 'utf8');
    expect((JSON.parse(report) as { tool: string }).tool).toBe('live-platform validate');
    for (const form of secretForms([TOKEN])) expect(result.stdout + report).not.toContain(form);
  });
});
