// vitest fixtures (test.extend) for the servers and processes tests use: each is started on first
// use and closed by the fixture when its test (or file) ends, pass or fail, so no test writes its own
// start/close pair and a forgotten close() cannot leak a server into the next test.
//
//   import { test } from '../support/fixtures.js';
//   test('...', async ({ startSandbox }) => {
//     const sandbox = await startSandbox({ limits: { maxTasks: 8 } });
//     ...; sandbox.finishTasks(); ...
//   });
//
// A file whose tests share one sandbox (and its state) uses sandboxTest(options) instead.
import { test as base } from 'vitest';
import { assertBuilt, runCli } from '../check/cli-process.js';
import { conformance, expectConformance, type Conformance } from '../sandbox/conformance.js';
import {
  DEFAULT_SANDBOX_TOKEN,
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import { hostile } from '../client/hostile-server.js';
import { ManualClock } from './clock.js';

export { ManualClock } from './clock.js';

/** A started sandbox with the token it accepts and the task duration it was started with. */
export interface TestSandbox extends RunningSandbox {
  token: string;
  taskDurationMs: number;
  /** Moves the clock it reads past its task duration: every task queued so far has finished. */
  finishTasks(): void;
}

/** Sandbox tasks take this long unless a test says otherwise (on the driven clock, so any length is instant). */
export const TEST_TASK_DURATION_MS = 1_000;

/**
 * Starts a sandbox on `clock` (unless the options name another clock) and hands its close() to
 * `onClose`. Tasks take TEST_TASK_DURATION_MS unless the options say.
 */
async function startTestSandbox(
  clock: ManualClock,
  options: SandboxOptions,
  onClose: (close: () => Promise<void>) => void,
): Promise<TestSandbox> {
  const taskDurationMs = options.taskDurationMs ?? TEST_TASK_DURATION_MS;
  const sandboxClock = options.clock ?? clock;
  const sandbox = await startSandbox({ ...options, clock: sandboxClock, taskDurationMs });
  onClose(sandbox.close);
  return {
    ...sandbox,
    token: sandbox.tokens[0] ?? DEFAULT_SANDBOX_TOKEN,
    taskDurationMs,
    finishTasks() {
      if (!(sandboxClock instanceof ManualClock))
        throw new Error('finishTasks() moves the test clock; this sandbox reads another one');
      sandboxClock.advance(taskDurationMs);
    },
  };
}

/** Anything a fixture can stop. */
interface Closable {
  close(): Promise<void>;
}

export const test = base
  /**
   * A clock the tests of a file move (clock.advance(ms)); every sandbox they start reads it unless
   * its options name another, so tasks finish when a test says.
   */
  .extend('clock', { scope: 'file' }, () => new ManualClock())
  /**
   * Starts a sandbox (on the file's clock, tasks of TEST_TASK_DURATION_MS unless the options say);
   * every one started is closed when the test ends.
   */
  .extend('startSandbox', async ({ clock }, { onCleanup }) => {
    const closes: (() => Promise<void>)[] = [];
    onCleanup(async () => {
      await Promise.all(closes.map((close) => close()));
    });
    return (options: SandboxOptions = {}) => startTestSandbox(clock, options, (c) => closes.push(c));
  })
  /**
   * Hands any started server (a hostile one, a broken one, a Prism mock) to the fixture, which
   * closes it when the test ends; returns it.
   */
  .extend('serve', async ({}, { onCleanup }) => {
    const servers: Closable[] = [];
    onCleanup(async () => {
      await Promise.all(servers.map((s) => s.close()));
    });
    return async <T extends Closable>(server: T | Promise<T>): Promise<T> => {
      const s = await server;
      servers.push(s);
      return s;
    };
  })
  /** A small hostile `node:http` server (test/client/hostile-server.ts), closed when the test ends. */
  .extend(
    'hostileServer',
    ({ serve }) =>
      (handler: Parameters<typeof hostile>[0]) =>
        serve(hostile(handler)),
  )
  /** `live-platform <args>` of the built CLI (bin/, dist/), with none of the developer's LIVE_PLATFORM_*. */
  .extend('cli', () => {
    assertBuilt();
    return runCli;
  });

/**
 * `test` plus a `sandbox` all the tests of the file share (started with `options` on the file's
 * clock) and `c`, a contract-checking caller of it: at the end of the file the fixture checks that
 * `c` saw at least `atLeast` answers and none broke the contract (a 5xx of `expected5xx` aside), then
 * closes the sandbox.
 */
export function sandboxTest(
  options: SandboxOptions = {},
  { atLeast = 1, expected5xx = [] }: { atLeast?: number; expected5xx?: number[] } = {},
) {
  return test
    .extend('sandbox', { scope: 'file' }, async ({ clock }, { onCleanup }) =>
      startTestSandbox(clock, options, (close) => onCleanup(close)),
    )
    .extend('c', { scope: 'file' }, async ({ sandbox }, { onCleanup }) => {
      const c: Conformance = conformance(sandbox.url, sandbox.token, { expected5xx });
      onCleanup(() => expectConformance(c, atLeast));
      return c;
    });
}
