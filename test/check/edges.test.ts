// The checker's edges (issue 18 item 7, issue 22): a token no header can carry, a report written
// whole or not at all, a run that always ends, polls with a floor, a replayed seed that passes, a
// created list that says what each write left, and a setup mistake that stops the run first.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForFile } from '../support/temp-dir.js';
import { checkTarget, renderText } from '../../src/check/index.js';
import { writeWhole as writeReportFile } from '../../src/har/write.js';
import { runSequences } from '../../src/check/fuzz/sequence.js';
import type { GeneratedSummary } from '../../src/check/types.js';
import { nodeTransport, send, type HttpTarget } from '../../src/check/http.js';
import { nextPollGap } from '../../src/check/pacing.js';
import { BUSY_FLOOR_MS } from '../../src/internal/timers.js';
import type { CheckOutcome, CheckRequest } from '../../src/check/types.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { GOOD_TOKEN, LEAD_TENANT, startConforming } from './broken/conforming.js';
import { checkFresh } from './tenant.js';

let dir: string;
tempDirForFile('lp-edges-', (made) => (dir = made));

describe('checkTarget refuses a token no HTTP header can carry', () => {
  it('throws before any request, without quoting the token', async () => {
    let calls = 0;
    const counting: typeof fetch = async () => {
      calls++;
      return new Response('{}', { status: 200 });
    };
    const token = 'secret-\u20ac-token';
    const err = await checkTarget({ baseUrl: 'http://127.0.0.1:9', token, fetch: counting }).catch(
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/no HTTP header can carry/);
    expect((err as Error).message).not.toContain('secret');
    expect(calls).toBe(0);
  });
});

describe('writeWhole (src/har/write.ts): a report is written whole or not at all', () => {
  it('replaces the file by a rename, leaving no temporary file', async () => {
    const path = join(dir, 'report.json');
    await writeFile(path, 'the previous report');
    await writeReportFile(path, '{"new":true}');
    expect(await readFile(path, 'utf8')).toBe('{"new":true}');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves what was there, and no temporary file, when the report cannot take its place', async () => {
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'report.xml'), { recursive: true });
    await writeFile(join(blocked, 'report.xml', 'keep'), 'kept');
    await expect(writeReportFile(join(blocked, 'report.xml'), '<xml/>')).rejects.toThrow();
    expect(await readFile(join(blocked, 'report.xml', 'keep'), 'utf8')).toBe('kept');
    expect(await readdir(blocked)).toEqual(['report.xml']);
  });
});

describe('polls keep a floor whatever the server sends', () => {
  it('waits at least BUSY_FLOOR_MS after a busy answer, even with the 20 ms interval of a sandbox', () => {
    expect(nextPollGap({ intervalMs: 20, kind: 'busy', remainingMs: 15_000 })).toBe(BUSY_FLOOR_MS);
    expect(nextPollGap({ intervalMs: 20, kind: 'busy', retryAfterMs: 0, remainingMs: 15_000 })).toBe(
      BUSY_FLOOR_MS,
    );
  });

  it('polls a task that never ends a tenth of its age apart, and still once just before its deadline', () => {
    // Fifteen seconds of a task at the sandbox's 20 ms interval: a few dozen polls, not 750.
    let polls = 0;
    let previousMs: number | undefined;
    let elapsedMs = 0;
    const taskTimeoutMs = 15_000;
    for (;;) {
      const gap = nextPollGap({
        intervalMs: 20,
        kind: 'running',
        ...(previousMs !== undefined ? { previousMs } : {}),
        remainingMs: taskTimeoutMs - elapsedMs,
        elapsedMs,
      });
      if (gap === undefined) break;
      polls++;
      previousMs = gap;
      elapsedMs += gap;
    }
    expect(polls).toBeLessThan(80);
    expect(taskTimeoutMs - elapsedMs).toBeLessThanOrEqual(20);
  });

  it('polls a task answered 429 with an unreadable Retry-After a few times a second, not every 20 ms', async () => {
    let polls = 0;
    const server = await startConforming({
      override: ({ operationId, send: reply }) => {
        if (operationId !== 'getTask') return false;
        polls++;
        reply(429, { title: 'Too Many Requests', status: 429 }, { 'retry-after': 'soon' });
        return true;
      },
    });
    try {
      const taskTimeoutMs = 1_500;
      const report = await checkFresh(async () => server, {
        kind: 'sandbox',
        pollIntervalMs: 20,
        taskTimeoutMs,
        generate: false,
        only: 'getTask',
      });
      expect(report.outcomes.some((o) => o.check === 'task_lifecycle')).toBe(true);
      // Each followed task gets at most one poll per floor within its deadline, plus its first.
      const tasks = report.outcomes.filter((o) => o.check === 'task_lifecycle').length;
      expect(polls).toBeLessThanOrEqual(tasks * (Math.ceil(taskTimeoutMs / BUSY_FLOOR_MS) + 2) + 10);
    } finally {
      await server.close();
    }
  });
});

describe('the checker always ends', () => {
  it('does not shrink a workflow sequence whose task never ends: one conversion, not one per shrink', async () => {
    const server = await startConforming({ taskView: (task) => ({ ...task, status: 'InProgress' }) });
    const transport = nodeTransport();
    try {
      const http: HttpTarget = {
        baseUrl: server.url,
        token: GOOD_TOKEN,
        transport,
        timeoutMs: 5_000,
        redact: (s) => s,
      };
      const outcomes: CheckOutcome[] = [];
      const sendOne = (r: CheckRequest) => send(http, r, 'ct-wrong-token');
      const summary: GeneratedSummary = {
        seed: 1,
        maxExamples: 5,
        cases: 0,
        discarded: 0,
        durationMs: 0,
        failures: [],
        warnings: [],
      };
      await runSequences(
        {
          targetKind: 'live',
          writesAllowed: true,
          prefix: 'cttest01',
          seed: 1,
          maxExamples: 5,
          leadTenantId: LEAD_TENANT,
          http,
          pollIntervalMs: 10,
          taskTimeoutMs: 100,
          send: sendOne,
          exchange: (_op, r) => sendOne(r),
          record: (o) => outcomes.push(o),
          created: () => {},
        },
        1,
        summary,
      );
      const conversions = server.received.filter((l) => l === 'POST /api/v3/customer');
      expect(conversions).toHaveLength(1);
      expect(
        outcomes.some((o) => o.verdict === 'skipped' && /a task did not end cleanly/.test(o.reason ?? '')),
      ).toBe(true);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('stops a phase at its deadline and says so in the report', async () => {
    // Every task stays InProgress for a minute: without the phase deadline the run would wait it out.
    const report = await checkFresh(
      () => startConforming({ taskView: (task) => ({ ...task, status: 'InProgress' }) }),
      { taskTimeoutMs: 60_000, phaseTimeoutMs: 400, generate: false },
    );
    expect(report.incomplete).toBe('the deterministic phase reached its deadline of 400 ms');
    // The lead workflow's conversion was made before the deadline: listed, as what may exist.
    const lead = report.created.find((c) => c.names.includes(`${report.runPrefix}lead`));
    expect(lead?.result).toBe('unknown');
    expect(renderText([report])).toContain(
      'live: incomplete, the deterministic phase reached its deadline of 400 ms; the rest was not run.',
    );
  });

  it('stops within moments when its signal aborts, with the report of what completed', async () => {
    const controller = new AbortController();
    const report = await checkFresh(
      () => startConforming({ taskView: (task) => ({ ...task, status: 'InProgress' }) }),
      {
        taskTimeoutMs: 60_000,
        generate: false,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 10) controller.abort();
        },
      },
    );
    expect(report.incomplete).toBe('interrupted during the deterministic phase');
    expect(report.outcomes.length).toBeGreaterThan(0);
  });
});

describe('a replayed seed', () => {
  it('passes a second time against the same server: names are unique per run, not per seed', async () => {
    const sandbox = await startSandbox({ port: 0, taskDurationMs: 20 });
    try {
      const run = () =>
        checkTarget({
          baseUrl: sandbox.url,
          token: sandbox.tokens[0]!,
          kind: 'sandbox',
          seed: 7,
          maxExamples: 3,
        });
      const first = await run();
      const second = await run();
      expect(second.runPrefix).not.toBe(first.runPrefix);
      expect(first.outcomes.filter((o) => o.verdict === 'failed')).toEqual([]);
      expect(second.outcomes.filter((o) => o.verdict === 'failed')).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the created list says what each write left behind', () => {
  it('lists as created only what exists; conversions that failed or found the lead converted are said so', async () => {
    const sandbox = await startSandbox({ port: 0, taskDurationMs: 20 });
    try {
      const report = await checkTarget({
        baseUrl: sandbox.url,
        token: sandbox.tokens[0]!,
        kind: 'sandbox',
        generate: false,
      });
      const failed = report.created.filter((c) => c.result === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      const text = renderText([report]);
      const createdSection = text.split('Created on sandbox')[1]!.split('\n\n')[0]!;
      for (const c of failed) {
        expect(createdSection).not.toContain(c.id!);
        expect(text).toContain(`${c.id} (not created: its task ended CompletedFailed)`);
      }
      for (const c of report.created.filter((e) => e.result === 'created'))
        expect(createdSection).toContain(c.names[0] ?? '(no name)');
    } finally {
      await sandbox.close();
    }
  });
});

describe('a setup mistake stops the run before the other checks', () => {
  it('a refused token: only the setup probes are sent, no check is judged, the diagnosis leads the text', async () => {
    const server = await startConforming();
    try {
      const report = await checkTarget({
        baseUrl: server.url,
        token: 'expired-token-4471',
        allowWrites: true,
        leadTenantId: LEAD_TENANT,
      });
      expect(report.setupProblem).toMatch(/the server refused the token/);
      expect(report.outcomes).toEqual([]);
      // The probes (valid requests and method probes) only: no negative case, no workflow.
      expect(server.received.length).toBeLessThan(40);
      expect(report.requests).toBe(server.received.length - 1);
      const text = renderText([report]);
      expect(text.split('\n')[0]).toMatch(/^live: the server refused the token/);
      expect(text).not.toMatch(/expected 405/);
    } finally {
      await server.close();
    }
  });

  it('a base URL that is not the API root: the probes only, the question about the root leads', async () => {
    const server = await startConforming();
    try {
      const report = await checkTarget({ baseUrl: `${server.url}/api`, token: GOOD_TOKEN });
      expect(report.setupProblem).toMatch(/is --base-url \(.*\/api\) the API root\?/);
      expect(report.outcomes).toEqual([]);
      expect(server.received.filter((l) => l.startsWith('GET /api/api/v2/task'))).not.toEqual([]);
      expect(server.received.length).toBeLessThan(40);
      expect(renderText([report]).split('\n')[0]).toMatch(/^live: .* got 404: is --base-url/);
    } finally {
      await server.close();
    }
  });
});
