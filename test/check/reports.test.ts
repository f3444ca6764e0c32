import { describe, expect, it } from 'vitest';
import {
  CHECK_NAMES,
  redact,
  renderJson,
  renderJUnit,
  renderText,
  type TargetReport,
} from '../../src/check/index.js';
import { descendants, parseXml } from './xml.js';

const nasty = 'a <b> & "c" \'d\' ]]> \u0001 end';

const report: TargetReport = {
  target: { name: 'live', kind: 'live', url: 'http://127.0.0.1:1' },
  runPrefix: 'ctabc123',
  requests: 3,
  durationMs: 12,
  created: [{ operationId: 'createEssentialsCustomer', names: ['ctabc123dup'], id: 'c1' }],
  outcomes: [
    {
      operationId: 'getTask',
      check: 'not_a_server_error',
      verdict: 'passed',
      caseName: 'positive: path example',
    },
    {
      operationId: 'getTask',
      check: 'ignored_auth',
      verdict: 'skipped',
      caseName: 'auth: wrong token',
      reason: `skip ${nasty}`,
    },
    {
      operationId: 'createEssentialsCustomer',
      check: 'response_schema_conformance',
      verdict: 'failed',
      caseName: 'positive: CreateEssentialsCustomerRequest',
      reason: `/id: must be string ${nasty}`,
      exchange: {
        request: { method: 'POST', path: '/api/v2/customer', auth: 'token', body: { shortName: "it's" } },
        response: {
          status: 200,
          contentType: 'application/json',
          headers: {},
          bodyExcerpt: `{"id": 1, "echo": "${nasty}"}`,
          isJson: true,
          elapsedMs: 5,
        },
      },
    },
  ],
};

describe('src/check/report-files.ts and report-text.ts', () => {
  it('writes JUnit that a strict parser accepts, one testcase per operation × check, naming both', () => {
    const xml = renderJUnit([report]);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const cases = descendants(root, 'testcase');
    expect(cases).toHaveLength(3);
    for (const c of cases) {
      const [op, check] = c.attributes.name!.split(' ');
      expect(c.attributes.classname).toBe(`live.${op}`);
      expect(CHECK_NAMES).toContain(check);
    }
    const failed = cases.find(
      (c) => c.attributes.name === 'createEssentialsCustomer response_schema_conformance',
    )!;
    const failure = failed.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.text).toContain('a <b> & "c"');
    expect(failure.text).toContain(
      `curl -i -X POST 'http://127.0.0.1:1/api/v2/customer' -H "Authorization: Bearer $LIVE_PLATFORM_TOKEN"`,
    );
    const skipped = cases.find((c) => c.attributes.name === 'getTask ignored_auth')!.children[0]!;
    expect(skipped.name).toBe('skipped');
    expect(skipped.attributes.message).toMatch(/^skip a <b> & "c" 'd'/);
    expect(root.attributes).toMatchObject({ tests: '3', failures: '1', skipped: '1' });
  });

  it('writes a setup mistake as an error testcase, never a green suite of 0 tests', () => {
    const setup = {
      ...report,
      outcomes: [],
      setupProblem: 'the server refused the token (401 & <no challenge>)',
    };
    const root = parseXml(renderJUnit([setup]));
    const cases = descendants(root, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual(['setup']);
    expect(cases[0]!.children[0]!.name).toBe('error');
    expect(cases[0]!.children[0]!.attributes.message).toBe(setup.setupProblem);
    expect(root.attributes).toMatchObject({ tests: '1', errors: '1', failures: '0' });
  });

  it('says per created entry what its task left, and lists as created only what exists', () => {
    const text = renderText([
      {
        ...report,
        created: [
          { operationId: 'createEssentialsCustomer', names: ['ctabc123x'], id: 'c-1', result: 'created' },
          { operationId: 'createCustomerFromLead', names: ['ctabc123y'], id: 't-2', result: 'failed' },
          {
            operationId: 'createCustomerFromLead',
            names: ['ctabc123z'],
            id: 't-3',
            result: 'already-converted',
          },
        ],
      },
    ]);
    const created = text.split('Created on live')[1]!.split('\n\n')[0]!;
    expect(created).toContain('ctabc123x -> c-1');
    expect(created).not.toContain('t-2');
    expect(text).toContain('ctabc123y -> t-2 (not created: its task ended CompletedFailed)');
    expect(text).toContain('ctabc123z -> t-3 (not created: the lead was already converted');
  });

  it('has a parser that refuses what is not well-formed', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a x=1/>',
      '<a>&</a>',
      '<a>&nbsp;</a>',
      '<a x="1" x="2"/>',
      '<a>',
      '<a/><b/>',
      '<a>\u0001</a>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });

  it('details each failure in the text report: request, response, why, curl', () => {
    const text = renderText([report], { notConfigured: ['mock: not run'] });
    expect(text).toMatch(/createEssentialsCustomer\s+response_schema_conformance\s+FAIL 1\/1/);
    expect(text).toMatch(/getTask\s+ignored_auth\s+skip/);
    expect(text).toContain('request:   POST /api/v2/customer  {"shortName":"it\'s"}');
    expect(text).toContain('response:  200 application/json in 5 ms');
    expect(text).toContain('why:       /id: must be string');
    expect(text).toContain(`--data-raw '{"shortName":"it'\\''s"}'`);
    expect(text).toContain('Created on live (run prefix ctabc123):');
    expect(text).toContain('live (http://127.0.0.1:1): NOT conformant');
  });

  it('writes JSON with the failures, their curl, the skips and what was created', () => {
    const json = JSON.parse(renderJson([report]));
    expect(json.conformant).toBe(false);
    expect(json.targets[0].failures[0].curl).toContain('$LIVE_PLATFORM_TOKEN');
    expect(json.targets[0].skipped).toHaveLength(1);
    expect(json.targets[0].created[0].names).toEqual(['ctabc123dup']);
  });

  it('writes a failing request body as it was sent, a member called json too', () => {
    // A generated body may carry any member name an open map allows.
    const body = { shortName: 'ctabc123x', json: { json: 1 } };
    const failed = report.outcomes[2]!;
    const withJsonMember: TargetReport = {
      ...report,
      outcomes: [
        { ...failed, exchange: { ...failed.exchange!, request: { ...failed.exchange!.request, body } } },
      ],
    };
    const out = JSON.parse(renderJson([withJsonMember])) as {
      targets: { failures: { exchange: { request: { body: unknown } } }[] }[];
    };
    expect(out.targets[0]?.failures[0]?.exchange.request.body).toEqual(body);
  });

  it('redacts a secret in every form a report may write it', () => {
    const secret = 'tok"en&<x>';
    const text = `${secret} ${JSON.stringify(secret)} tok&quot;en&amp;&lt;x&gt;`;
    expect(redact(text, [secret])).not.toMatch(/tok/);
  });
});
