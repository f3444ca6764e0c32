// The poll engine: when to ask, when to stop, what the answer means. It knows no HTTP: `poll` comes
// from src/client/task-requests.ts (Azure core-lro's split), or a plain function in tests.
import type { Task } from '../types.js';
import { isTerminal } from '../internal/task-status.js';
import { nextAskWait, setLongTimeout, sleep } from '../internal/timers.js';
import { numberOption } from '../internal/options.js';
import { taskFrom, TaskFailedError, TaskTimeoutError } from './errors.js';
import {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TASK_TIMEOUT_MS,
  pollDelay,
} from './timing.js';

/**
 * One answer of the service: the task, and the server's Retry-After in ms when it sent one. No task
 * but a Retry-After means "busy, ask again then" (a 429 or 503 the transport did not wait out).
 */
export interface PolledTask {
  task?: Task | undefined;
  retryAfterMs?: number | undefined;
  /** Blanks, in what a TaskFailedError quotes of the task, the token only the binding knows. */
  redact?: ((text: string) => string) | undefined;
}

/** How the engine reads a task's state; an abort of `signal` must end the read. */
export type PollTask = (taskId: string, signal: AbortSignal) => Promise<PolledTask>;

export interface WaitOptions {
  /** Stops polling and cancels the wait in progress; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Overall deadline; past it the wait rejects with TaskTimeoutError. Default 10 minutes. Any length
   * works (beyond setTimeout's 24.8 days the timer is chained); `Infinity` waits for ever.
   */
  timeoutMs?: number;
  /**
   * First gap between polls (ms); each later gap doubles. Default 1000. Also the floor: no answer of
   * the server (a Retry-After of 0 or a past date) makes the poller ask sooner than this.
   */
  intervalMs?: number;
  /** Largest gap between polls (ms). Default 10000. A longer server Retry-After wins over it. */
  maxIntervalMs?: number;
  /**
   * Called with every state a poll returns, the last (terminal) one included. A status the contract
   * does not list arrives here too (the wait goes on: only the two completed statuses end it).
   */
  onProgress?: (task: Task) => void;
  /** `false` returns a CompletedFailed task instead of throwing TaskFailedError. Default true. */
  throwOnFailure?: boolean;
}

const SERIAL_VERSION = 1;

/**
 * A task that is running on the server. Thenable: `await poller` is `poller.pollUntilDone()`.
 * `taskId` is a Promise that resolves once the start request answered (at once for a resumed task).
 *
 * Because it is thenable, an async function that returns a poller returns the finished task
 * instead: hand a poller on inside an object (`return { poller }`).
 */
export class TaskPoller<T extends Task = Task> implements PromiseLike<T> {
  /** Resolves to the task id once the operation that queues the task has answered. */
  readonly taskId: Promise<string>;
  /** The last state a poll returned. */
  latest: Task | undefined;
  #id: string | undefined;
  #fresh: boolean;
  #run: Promise<T> | undefined;
  #listeners = new Set<(task: Task) => void>();

  constructor(
    private readonly poll: PollTask,
    /** The id, or a promise of it while the start request is in flight. */
    started: string | Promise<string>,
    private readonly options: WaitOptions = {},
  ) {
    this.#fresh = typeof started !== 'string';
    this.taskId = Promise.resolve(started).then((id) => (this.#id = id));
    // A failed start surfaces through pollUntilDone(); without this it would also be "unhandled".
    this.taskId.catch(() => {});
    if (options.onProgress) this.#listeners.add(options.onProgress);
  }

  /** Subscribes to every polled state; returns the function that unsubscribes. */
  onProgress(callback: (task: Task) => void): () => void {
    this.#listeners.add(callback);
    return () => void this.#listeners.delete(callback);
  }

  /**
   * Polls until the task is terminal. Calls made while a wait runs share it (and its signal); after
   * an abort or timeout, a new call polls again, at once.
   */
  pollUntilDone(options: { signal?: AbortSignal } = {}): Promise<T> {
    // T is the workflow's terminal task (the client's begin* say which): the loop returns only those.
    return (this.#run ??= (this.#loop(options.signal ?? this.options.signal) as Promise<T>).catch(
      (e: unknown) => {
        this.#run = undefined;
        this.#fresh = false;
        throw e;
      },
    ));
  }

  then<A = T, B = never>(
    onfulfilled?: ((task: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.pollUntilDone().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.pollUntilDone().catch(onrejected);
  }

  /** A string to store so another process can keep waiting with `resumeTask(lp, text)`. */
  serialize(): string {
    if (!this.#id) throw new Error('The task has not started yet: await poller.taskId before serialize().');
    return JSON.stringify({ v: SERIAL_VERSION, taskId: this.#id });
  }

  async #loop(callerSignal: AbortSignal | undefined): Promise<Task> {
    const o = this.options;
    // Durations: any number >= 0, Infinity included.
    const ms = (name: keyof WaitOptions, fallback: number) =>
      numberOption(`TaskPoller: ${name}`, o[name], fallback, 0, Infinity);
    const timeoutMs = ms('timeoutMs', DEFAULT_TASK_TIMEOUT_MS);
    const interval = ms('intervalMs', DEFAULT_POLL_INTERVAL_MS);
    const maxInterval = ms('maxIntervalMs', DEFAULT_MAX_POLL_INTERVAL_MS);
    const deadline = Date.now() + timeoutMs;
    const timedOut = () => new TaskTimeoutError(this.#id, timeoutMs, this.latest);
    // One controller carries both the caller's abort and the deadline into every sleep and request.
    const ctl = new AbortController();
    const aborted = new Promise<never>((_, reject) =>
      ctl.signal.addEventListener('abort', () => reject(ctl.signal.reason), { once: true }),
    );
    aborted.catch(() => {});
    const onAbort = () => ctl.abort(callerSignal!.reason);
    if (callerSignal?.aborted) onAbort();
    callerSignal?.addEventListener('abort', onAbort, { once: true });
    const cancelDeadline = setLongTimeout(() => ctl.abort(timedOut()), timeoutMs);
    try {
      const id = this.#id ?? (await Promise.race([this.taskId, aborted]));
      // A task we just started is not done yet; a resumed one may be, so it is read at once.
      let n = this.#fresh ? 1 : 0;
      let wait = this.#fresh ? pollDelay(0, interval, maxInterval) : 0;
      for (;;) {
        // A wait that reaches the deadline ends there, and so does the loop: decided before sleeping,
        // as a timer may fire a millisecond early.
        const left = deadline - Date.now();
        if (wait >= left) {
          await sleep(left, ctl.signal);
          ctl.abort(timedOut());
        } else if (wait > 0) await sleep(wait, ctl.signal);
        ctl.signal.throwIfAborted();
        const polled = await this.poll(id, ctl.signal);
        // Never under the backoff (nor intervalMs), whatever the server says; a longer Retry-After wins.
        wait = nextAskWait(interval, pollDelay(n++, interval, maxInterval), polled?.retryAfterMs);
        if (polled?.task === undefined) continue;
        const task = taskFrom(polled.task, id);
        this.latest = task;
        for (const cb of this.#listeners) cb(task);
        if (isTerminal(task)) {
          if (task.status === 'CompletedFailed' && o.throwOnFailure !== false)
            throw new TaskFailedError(task, polled.redact);
          return task;
        }
      }
    } catch (e) {
      // Whatever a request threw while aborting, the caller gets the reason it can test for.
      throw ctl.signal.aborted ? ctl.signal.reason : e;
    } finally {
      cancelDeadline();
      callerSignal?.removeEventListener('abort', onAbort);
    }
  }
}

/** The task id inside a string that `poller.serialize()` wrote. */
export function taskIdFromSerialized(text: unknown): string {
  let v: { v?: unknown; taskId?: unknown } | undefined;
  try {
    v = JSON.parse(String(text));
  } catch {
    // the error below
  }
  if (v?.v === SERIAL_VERSION && typeof v.taskId === 'string' && v.taskId) return v.taskId;
  throw new TypeError(
    'resumeTask: expected the string poller.serialize() returned, like {"v":1,"taskId":"wst_..."}; ' +
      'to wait on a bare task id use lp.tasks.wait(taskId).',
  );
}
