// Issue 12, item 4, the checker's side: the sandbox with each ASP.NET Core default switched on is a
// server the vendor has not ruled out, so the checker must find it conformant. Lenient warnings
// (an ignored unknown member) are allowed; a failure is not.
import { afterAll, describe, expect, it } from 'vitest';
import { checkTarget, type TargetReport } from '../../src/check/index.js';
import {
  ASPNET_SWITCHES,
  startSandbox,
  type AspNetSwitch,
  type RunningSandbox,
} from '../../src/sandbox/index.js';

const started: RunningSandbox[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

async function sandboxWith(aspnet: Partial<Record<AspNetSwitch, boolean>>): Promise<RunningSandbox> {
  const s = await startSandbox({ taskDurationMs: 30, aspnet });
  started.push(s);
  return s;
}

const failures = (r: TargetReport) =>
  r.outcomes
    .filter((o) => o.verdict === 'failed')
    .map((o) => `${o.operationId} ${o.check} ${o.caseName}: ${o.reason}`);

describe('the checker against the sandbox with ASP.NET defaults on', () => {
  for (const name of [...ASPNET_SWITCHES, 'all'] as const) {
    it(`${name}: conformant, the workflows included`, async () => {
      const aspnet = Object.fromEntries(
        ASPNET_SWITCHES.filter((s) => name === 'all' || s === name).map((s) => [s, true]),
      );
      const sandbox = await sandboxWith(aspnet);
      const report = await checkTarget({
        baseUrl: sandbox.url,
        token: sandbox.tokens[0]!,
        kind: 'sandbox',
        seed: 7,
        maxExamples: 5,
      });
      expect(failures(report)).toEqual([]);
      expect(report.outcomes.filter((o) => o.check === 'task_lifecycle').map((o) => o.verdict)).toContain(
        'passed',
      );
      // The generated sequences reach their last step whatever the switch ({jobId} starts included).
      const sequences = report.generated?.sequences;
      expect(sequences?.runs).toBeGreaterThan(0);
      expect(sequences?.completed).toBe(sequences?.runs);
    });
  }

  it('follows an import task whose id came back as unquoted text/plain', async () => {
    const sandbox = await sandboxWith({ textPlainStrings: true });
    const types: string[] = [];
    // Ask for text first, as a client that sends Accept: text/plain would: ASP.NET's string formatter
    // then writes the id unquoted.
    const textFirst: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('accept', 'text/plain');
      const res = await fetch(input, { ...init, headers });
      if (String(input).endsWith('/action/ovocimport')) types.push(res.headers.get('content-type') ?? '');
      return res;
    };
    const report = await checkTarget({
      baseUrl: sandbox.url,
      token: sandbox.tokens[0]!,
      kind: 'sandbox',
      generate: false,
      fetch: textFirst,
    });
    expect(types.some((t) => t.startsWith('text/plain'))).toBe(true);
    expect(failures(report)).toEqual([]);
    // The import's task is followed under getTask, named after the case that started it.
    const lifecycle = report.outcomes.filter(
      (o) => o.check === 'task_lifecycle' && o.caseName.includes('ImportCustomerRequest'),
    );
    expect(lifecycle.map((o) => o.verdict)).toContain('passed');
  });
});
