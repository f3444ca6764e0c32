import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import {
  TaskFailedError,
  TaskPoller,
  TaskTimeoutError,
  UnexpectedResponseError,
  isTerminal,
  outcomeOf,
  taskIdFrom,
  taskIdFromSerialized,
  type PollTask,
} from '../../src/tasks/index.js';
import type { Task } from '../../src/types.js';
import { drive } from '../support/clock.js';

const inProgress = specExample<Task>('TaskInProgress');
const converted = specExample<Task>('TaskConverted');
const failed = specExample<Task>('TaskFailedInvalidCharacters');
const noLead = specExample<Task>('TaskValidationFailedNoLead');
const already = specExample<Task>('TaskCustomerAlreadyConverted');

/** A poll function that answers the given states in order (the last one repeats) and records calls. */
function script(states: (Task | Error)[], retryAfterMs?: number) {
  const calls: { taskId: string; at: number }[] = [];
  const poll: PollTask = async (taskId) => {
    calls.push({ taskId, at: Date.now() });
    const s = states[Math.min(calls.length - 1, states.length - 1)]!;
    if (s instanceof Error) throw s;
    return { task: s, retryAfterMs };
  };
  return { poll, calls };
}

const fast = { intervalMs: 1, maxIntervalMs: 4 };

// Every wait of the poller is a timer, so the tests run on vitest's fake timers and Date: time moves
// only when a test moves it (drive() runs the due timers until the wait settles).
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('src/tasks/poller.ts', () => {
  it('polls until the task is terminal and resolves to it; `await poller` is pollUntilDone()', async () => {
    const { poll, calls } = script([inProgress, inProgress, converted]);
    const poller = new TaskPoller(poll, Promise.resolve('wst_1'), fast);
    const task = await drive(poller);
    expect(task).toEqual(converted);
    expect(calls.map((c) => c.taskId)).toEqual(['wst_1', 'wst_1', 'wst_1']);
    expect(await drive(poller.pollUntilDone())).toBe(task); // a finished wait is shared, not repeated
    expect(calls).toHaveLength(3);
  });

  it('reports every polled state to onProgress subscribers until they unsubscribe', async () => {
    const { poll } = script([inProgress, inProgress, inProgress, converted]);
    const fromOption: string[] = [];
    const fromMethod: string[] = [];
    const poller = new TaskPoller(poll, 'wst_1', { ...fast, onProgress: (t) => fromOption.push(t.status) });
    const off = poller.onProgress((t) => {
      fromMethod.push(t.status);
      if (fromMethod.length === 2) off();
    });
    await drive(poller);
    expect(fromOption).toEqual(['InProgress', 'InProgress', 'InProgress', 'CompletedSuccess']);
    expect(fromMethod).toEqual(['InProgress', 'InProgress']);
    expect(poller.latest?.status).toBe('CompletedSuccess');
  });

  it('waits about intervalMs before the first poll of a fresh start, but reads a resumed task at once', async () => {
    const fresh = script([converted]);
    const t0 = Date.now();
    await drive(new TaskPoller(fresh.poll, Promise.resolve('wst_1'), { intervalMs: 60 }));
    expect(fresh.calls[0]!.at - t0).toBeGreaterThanOrEqual(60 * 0.8); // less its jitter
    expect(fresh.calls[0]!.at - t0).toBeLessThanOrEqual(60);
    const resumed = script([converted]);
    const t1 = Date.now();
    await drive(new TaskPoller(resumed.poll, 'wst_1', { intervalMs: 5_000 }));
    expect(resumed.calls[0]!.at - t1).toBe(0);
  });

  it('backs off exponentially from intervalMs up to maxIntervalMs, within the jitter band', async () => {
    {
      const schedule = async (started: string | Promise<string>) => {
        const { poll, calls } = script([...Array(7).fill(inProgress), converted]);
        const t0 = Date.now();
        const done = new TaskPoller(poll, started, {
          intervalMs: 1_000,
          maxIntervalMs: 5_000,
        }).pollUntilDone();
        await vi.advanceTimersByTimeAsync(60_000);
        await done;
        return calls.map((c, i) => c.at - (i ? calls[i - 1]!.at : t0));
      };
      // A fresh start: the first read after one interval, then 2x, 4x, ... capped.
      const fresh = await schedule(Promise.resolve('wst_1'));
      const ceilings = [1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 5_000];
      expect(fresh).toHaveLength(8);
      fresh.forEach((gap, i) => {
        expect(gap).toBeLessThanOrEqual(ceilings[i]!);
        expect(gap).toBeGreaterThanOrEqual(ceilings[i]! * 0.8 - 1);
      });
      // A resumed task: read at once, then the same schedule.
      const resumed = await schedule('wst_1');
      expect(resumed[0]).toBe(0);
      resumed.slice(1).forEach((gap, i) => {
        expect(gap).toBeLessThanOrEqual(ceilings[i]!);
        expect(gap).toBeGreaterThanOrEqual(ceilings[i]! * 0.8 - 1);
      });
    }
  });

  it("puts the server's Retry-After before its own backoff", async () => {
    const { poll, calls } = script([inProgress, converted], 80);
    await drive(new TaskPoller(poll, 'wst_1', { intervalMs: 1, maxIntervalMs: 2 }));
    expect(calls[1]!.at - calls[0]!.at).toBe(80);
  });

  it('throws TaskFailedError with the details, the log and the outcome on CompletedFailed', async () => {
    const err = await drive(new TaskPoller(script([inProgress, failed]).poll, 'wst_1', fast)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TaskFailedError);
    const e = err as TaskFailedError;
    expect(e.taskId).toBe(failed.id);
    expect(e.details).toEqual(['Failed']);
    expect(e.outcome).toBe('failed');
    expect(e.executionMessages).toEqual(failed.executionMessages);
    expect(e.task).toEqual(failed);
    expect(e.message).toContain('Customer Short Name contains invalid characters');
  });

  it('tells a missing lead (ValidationFailed) apart and returns the failed task with throwOnFailure: false', async () => {
    await expect(drive(new TaskPoller(script([noLead]).poll, 'wup_1', fast))).rejects.toMatchObject({
      name: 'TaskFailedError',
      outcome: 'validation-failed',
    });
    const task = await drive(
      new TaskPoller(script([noLead]).poll, 'wup_1', { ...fast, throwOnFailure: false }),
    );
    expect(task.status).toBe('CompletedFailed');
    expect(outcomeOf(task)).toBe('validation-failed');
  });

  it('resolves a CustomerAlreadyConverted task, an outcome distinct from a conversion', async () => {
    const task = await drive(new TaskPoller(script([already]).poll, 'wst_1', fast));
    expect(outcomeOf(task)).toBe('already-converted');
    expect(outcomeOf(converted)).toBe('converted');
    expect(outcomeOf(specExample<Task>('TaskImportCompleted'))).toBe('succeeded');
    expect(outcomeOf(inProgress)).toBe('in-progress');
  });

  it('gives TaskTimeoutError, with the last state seen, when the deadline passes', async () => {
    const { poll } = script([inProgress]);
    const t0 = Date.now();
    const err = (await drive(
      new TaskPoller(poll, 'wst_9', {
        intervalMs: 5,
        maxIntervalMs: 10,
        timeoutMs: 120,
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    )) as TaskTimeoutError;
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect(err.taskId).toBe('wst_9');
    expect(err.timeoutMs).toBe(120);
    expect(err.lastTask?.status).toBe('InProgress');
    // At the deadline: not a poll interval later.
    expect(Date.now() - t0).toBe(120);
  });

  it('stops at once when the signal aborts during a long sleep, with the signal reason', async () => {
    const { poll, calls } = script([inProgress]);
    const ac = new AbortController();
    const poller = new TaskPoller(poll, 'wst_1', { intervalMs: 60_000 });
    const waiting = poller.pollUntilDone({ signal: ac.signal });
    await vi.advanceTimersByTimeAsync(30);
    const t0 = Date.now();
    ac.abort();
    // No timer runs from here: only the abort can end the wait.
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now()).toBe(t0);
    expect(calls).toHaveLength(1);
    // A later wait resumes polling, at once.
    const { poll: poll2 } = script([converted]);
    const resumed = new TaskPoller(poll2, 'wst_1', { intervalMs: 60_000 });
    const ac2 = new AbortController();
    ac2.abort(new Error('gone'));
    await expect(resumed.pollUntilDone({ signal: ac2.signal })).rejects.toThrow('gone');
    await expect(drive(resumed.pollUntilDone())).resolves.toEqual(converted);
  });

  it('passes an abortable signal to the read in flight', async () => {
    let seen: AbortSignal | undefined;
    const poll: PollTask = (_id, signal) => {
      seen = signal;
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('read aborted'))),
      );
    };
    const ac = new AbortController();
    const waiting = new TaskPoller(poll, 'wst_1').pollUntilDone({ signal: ac.signal });
    await vi.waitFor(() => expect(seen).toBeDefined());
    ac.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(seen?.aborted).toBe(true);
  });

  it('surfaces a failed start through the wait, without an unhandled rejection', async () => {
    const poller = new TaskPoller(
      script([converted]).poll,
      Promise.reject(new Error('400 from start')),
      fast,
    );
    await vi.advanceTimersByTimeAsync(10);
    await expect(drive(poller)).rejects.toThrow('400 from start');
    await expect(poller.taskId).rejects.toThrow('400 from start');
  });

  it('serializes once started, and resumes from the text in another poller', async () => {
    let release!: (id: string) => void;
    const poller = new TaskPoller(script([converted]).poll, new Promise<string>((r) => (release = r)), fast);
    expect(() => poller.serialize()).toThrow(/await poller.taskId/);
    release('wst_42');
    expect(await poller.taskId).toBe('wst_42');
    const text = poller.serialize();
    expect(taskIdFromSerialized(text)).toBe('wst_42');
    const { poll, calls } = script([converted]);
    expect(await drive(new TaskPoller(poll, taskIdFromSerialized(text), fast))).toEqual(converted);
    expect(calls[0]!.taskId).toBe('wst_42');
    expect(() => taskIdFromSerialized('wst_42')).toThrow(/poller.serialize\(\)/);
    expect(() => taskIdFromSerialized('{"v":2,"taskId":"x"}')).toThrow(TypeError);
  });

  it('propagates a read error (the HTTP binding throws LivePlatformError) and lets a later wait retry', async () => {
    const { poll } = script([new Error('503'), converted]);
    const poller = new TaskPoller(poll, 'wst_1', fast);
    await expect(drive(poller.pollUntilDone())).rejects.toThrow('503');
    await expect(drive(poller.pollUntilDone())).resolves.toEqual(converted);
  });
});

describe('task and task-id readers (src/tasks/errors.ts)', () => {
  it('reads the task id from the three initial shapes the vendor uses', () => {
    expect(taskIdFrom('tsk_185510')).toBe('tsk_185510');
    expect(taskIdFrom({ taskId: 'wst_1' })).toBe('wst_1');
    expect(taskIdFrom({ jobId: 'wst_2' })).toBe('wst_2');
    for (const bad of [null, '', {}, { id: 'x' }, 42, '<html>', 'two words', 'x'.repeat(300)])
      expect(() => taskIdFrom(bad)).toThrow(UnexpectedResponseError);
    expect(() => taskIdFrom({})).toThrow(/taskId.*jobId/);
  });

  it('ends a task only on CompletedSuccess or CompletedFailed; outcomeOf never calls anything else a success', () => {
    for (const status of ['InProgress', 'In Progress', 'Queued', 'Completed', '', 'completedsuccess'])
      expect([isTerminal({ status } as Task), outcomeOf({ status, details: ['Converted'] } as Task)]).toEqual(
        [false, 'in-progress'],
      );
    expect(isTerminal(converted)).toBe(true);
    expect(isTerminal(failed)).toBe(true);
    expect(outcomeOf({ status: 'CompletedFailed' } as Task)).toBe('failed');
  });

  it('builds TaskFailedError from a failed task without details or a log', () => {
    const e = new TaskFailedError({ id: 'wst_1', status: 'CompletedFailed' } as Task);
    expect([e.outcome, e.details, e.executionMessages, e.message]).toEqual([
      'failed',
      [],
      [],
      'Task wst_1 failed',
    ]);
  });
});

describe('src/tasks/poller.ts against a hostile poll', () => {
  it.each([{}, [], 'x', null, 42, { status: 'CompletedSuccess' }, { id: 'wst_1', status: 7 }])(
    'rejects at once with UnexpectedResponseError for %j, which is not a task',
    async (body) => {
      const { poll, calls } = script([body as unknown as Task]);
      const e = await drive(new TaskPoller(poll, 'wst_1', fast)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnexpectedResponseError);
      expect(calls).toHaveLength(1);
    },
  );

  it('keeps to intervalMs whatever Retry-After says: at most deadline / intervalMs + 2 polls', async () => {
    for (const retryAfterMs of [0, 1, undefined]) {
      const { poll, calls } = script([inProgress], retryAfterMs);
      const done = new TaskPoller(poll, 'wst_1', {
        intervalMs: 1_000,
        maxIntervalMs: 1_000,
        timeoutMs: 60_000,
      })
        .pollUntilDone()
        .catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(61_000);
      expect(await done).toBeInstanceOf(TaskTimeoutError);
      expect(calls.length).toBeLessThanOrEqual(60_000 / 1_000 + 2);
      for (let i = 1; i < calls.length; i++)
        expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('a Retry-After beyond the deadline ends at the deadline, after one poll', async () => {
    const { poll, calls } = script([inProgress], 3_000_000_000);
    const t0 = Date.now();
    const done = new TaskPoller(poll, 'wst_1', { timeoutMs: 5_000 }).pollUntilDone().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await done).toBeInstanceOf(TaskTimeoutError);
    expect(Date.now() - t0).toBe(5_000);
    expect(calls).toHaveLength(1);
  });

  it('a deadline of 2^31 ms or 30 days works (chained timers): it does not fire early', async () => {
    for (const timeoutMs of [2 ** 31, 30 * 86_400_000]) {
      const { poll } = script([inProgress]);
      let settled: unknown;
      const done = new TaskPoller(poll, 'wst_1', {
        timeoutMs,
        intervalMs: 3_600_000,
        maxIntervalMs: 3_600_000,
      })
        .pollUntilDone()
        .then(
          (t) => (settled = t),
          (e: unknown) => (settled = e),
        );
      await vi.advanceTimersByTimeAsync(2 ** 31 - 2);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(timeoutMs);
      await done;
      expect(settled).toBeInstanceOf(TaskTimeoutError);
    }
  });

  it('emits no TimeoutOverflowWarning with real timers for a 2^31 ms deadline or Retry-After', async () => {
    // Node warns from its real setTimeout only: this one runs on real timers.
    vi.useRealTimers();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { poll: read, calls } = script([inProgress], 2 ** 32);
      let polled!: () => void;
      const firstPoll = new Promise<void>((r) => (polled = r));
      const poll: PollTask = (id, signal) => read(id, signal).finally(polled);
      const ac = new AbortController();
      const done = new TaskPoller(poll, 'wst_1', { timeoutMs: 2 ** 31 }).pollUntilDone({ signal: ac.signal });
      // The poll answered; the poller has set its Retry-After wait by the next turn of the loop, and
      // a warning about it would have been emitted (process.emitWarning goes out on nextTick).
      await firstPoll;
      await new Promise((r) => setImmediate(r));
      ac.abort(new Error('enough'));
      await expect(done).rejects.toThrow('enough'); // not a TaskTimeoutError after 1 ms
      expect(calls).toHaveLength(1); // not a storm of polls
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
  });

  it('refuses wait options that are not durations', async () => {
    for (const bad of [
      { timeoutMs: -1 },
      { intervalMs: Number.NaN },
      { maxIntervalMs: '5' as unknown as number },
    ])
      await expect(drive(new TaskPoller(script([converted]).poll, 'wst_1', bad))).rejects.toThrow(TypeError);
  });
});
