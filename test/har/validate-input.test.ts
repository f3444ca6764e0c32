// `validate` on files that are not usable recordings: each gets a clear exit-2 message saying
// what to do, and a base64 body is decoded and validated like any other.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarInputError, MAX_HAR_BYTES, readRecording } from '../../src/har/read.js';
import { validateRecording } from '../../src/har/validate.js';
import { assertBuilt, runCli } from '../check/cli-process.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lp-har-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const TASK = {
  id: 'tsk_185510',
  status: 'CompletedSuccess',
  details: [null],
  executionMessages: [],
  outputData: {},
  createTime: '0001-01-01T00:00:00',
};

const entry = (
  response: Record<string, unknown> | undefined,
  url = 'https://lp.example.com/api/v2/task/tsk_185510',
) => ({
  startedDateTime: '2025-06-02T10:00:00.000Z',
  time: 12,
  request: {
    method: 'GET',
    url,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: [],
    queryString: [],
    headersSize: -1,
    bodySize: 0,
  },
  ...(response ? { response } : {}),
  cache: {},
  timings: { send: 0, wait: 12, receive: 0 },
});

const response = (text: string, extra: Record<string, unknown> = {}) => ({
  status: 200,
  statusText: 'OK',
  httpVersion: 'HTTP/1.1',
  cookies: [],
  headers: [{ name: 'Content-Type', value: 'application/json; charset=utf-8' }],
  content: { size: text.length, mimeType: 'application/json', text, ...extra },
  redirectURL: '',
  headersSize: -1,
  bodySize: text.length,
});

const har = (...entries: unknown[]) =>
  JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries } });

const refusal = (path: string) => {
  try {
    readRecording(path);
  } catch (err) {
    expect(err).toBeInstanceOf(HarInputError);
    return (err as Error).message;
  }
  throw new Error(`${path} was accepted`);
};

describe('validate: bad input', () => {
  it('says a JSON file that is not a HAR is not one', () => {
    expect(refusal(file('openapi.json', '{"openapi": "3.1.0"}'))).toMatch(/is JSON but not a HAR/);
  });

  it('says a truncated file was cut short', () => {
    expect(refusal(file('cut.har', har(entry(response(JSON.stringify(TASK)))).slice(0, 120)))).toMatch(
      /ends in the middle of its JSON .* cut short/,
    );
  });

  it('names the entry without a response', () => {
    expect(refusal(file('no-response.har', har(entry(response('{}')), entry(undefined))))).toMatch(
      /log\.entries\[1\] has no response/,
    );
  });

  it('refuses an unknown body encoding and base64 that is not base64', () => {
    expect(refusal(file('gzip.har', har(entry(response('H4sI', { encoding: 'gzip' })))))).toMatch(
      /encoding is "gzip"; only "base64"/,
    );
    expect(refusal(file('bad64.har', har(entry(response('%%%', { encoding: 'base64' })))))).toMatch(
      /not base64/,
    );
  });

  it(`refuses a file over ${MAX_HAR_BYTES / 1024 / 1024} MiB before reading it (100 MB here)`, () => {
    const path = join(dir, 'huge.har');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 100 * 1000 * 1000); // sparse: no disk, no memory
    closeSync(fd);
    expect(refusal(path)).toMatch(/larger than 64 MiB, the most this command reads \(it does not stream\)/);
  });

  it('exits 2 from the CLI with the message, and names a missing file', async () => {
    assertBuilt();
    const notHar = await runCli(['validate', file('x.har', '[1,2]')]);
    expect(notHar.code).toBe(2);
    expect(notHar.stderr).toMatch(/live-platform validate: .* is JSON but not a HAR/);
    const missing = await runCli(['validate', join(dir, 'nope.har')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist; pass the path of a \.har file/);
    const none = await runCli(['validate']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the HAR file to validate/);
    // The error and one pointer to --help, not the whole help after it.
    expect(none.stderr.trim().split('\n')).toHaveLength(2);
    expect(none.stderr).toMatch(/Run "live-platform validate --help" for its options/);
    const offTopic = await runCli([
      'validate',
      file('web.har', har(entry(response('{}'), 'https://example.com/index.html'))),
    ]);
    expect(offTopic.code).toBe(2);
    expect(offTopic.stderr).toMatch(/none of the 1 entries .* is a request to an operation of the contract/);
  });
});

describe('validate: what it reads', () => {
  it('decodes a base64 body and validates it', () => {
    const good = Buffer.from(JSON.stringify(TASK)).toString('base64');
    const bad = Buffer.from(JSON.stringify({ ...TASK, status: 'Paused' })).toString('base64');
    const r = validateRecording(
      readRecording(
        file(
          'b64.har',
          har(entry(response(good, { encoding: 'base64' })), entry(response(bad, { encoding: 'base64' }))),
        ),
      ),
    );
    const schema = r.report.outcomes.filter((o) => o.check === 'response_schema_conformance');
    expect(schema.map((o) => o.verdict)).toEqual(['passed', 'failed']);
  });

  it('lists a status-0 entry as unanswered, not as a failure', () => {
    const failed = { ...response(''), status: 0, statusText: '' };
    const r = validateRecording(
      readRecording(file('zero.har', har(entry(response(JSON.stringify(TASK))), entry(failed)))),
    );
    expect(r.noResponse).toEqual([1]);
    expect(r.report.outcomes.some((o) => o.verdict === 'failed')).toBe(false);
  });

  it('finds the operation behind a path prefix, and keeps the token of a devtools recording out of its report', () => {
    const token = 'devtools-token-abc123';
    const e = entry(
      response(JSON.stringify({ ...TASK, id: token, status: 'Paused' })),
      'https://gw.example.com/lp/api/v2/task/tsk_185510',
    );
    e.request.headers = [{ name: 'Authorization', value: `Bearer ${token}` }] as never;
    const r = validateRecording(readRecording(file('prefixed.har', har(e))));
    expect(r.unknown).toEqual([]);
    expect(r.report.outcomes.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.report)).not.toContain(token);
  });
});
