// Stopping a phase of a check: the caller's signal (Ctrl-C) or the phase's deadline ends every
// request and wait of the phase at once, and fast-check's run with it, shrinking included.
import { setMaxListeners } from 'node:events';
import fc from 'fast-check';
import { setLongTimeout } from '../internal/timers.js';

/** Why a phase stopped before its end: the caller's signal, or the phase's deadline. */
export class PhaseStopped extends Error {
  override name = 'PhaseStopped';
}

/**
 * A phase's own signal: aborted by the run's signal or at the phase's deadline, whichever comes
 * first, with a PhaseStopped that says which. `end()` drops the timer and the listener, and says
 * why the phase stopped, if it did.
 */
export function phaseSignal(phase: string, ms: number, parent: AbortSignal | undefined) {
  const controller = new AbortController();
  // Every request and wait in flight listens, and removes its listener when it ends: many at once
  // is the design, not a leak.
  setMaxListeners(0, controller.signal);
  // A second abort is a no-op: the first reason stays.
  const stop = (why: string) => controller.abort(new PhaseStopped(why));
  const onParent = () => stop(`interrupted during the ${phase}`);
  const cancelTimer = setLongTimeout(() => stop(`the ${phase} reached its deadline of ${ms} ms`), ms);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    end(): string | undefined {
      cancelTimer();
      parent?.removeEventListener('abort', onParent);
      return (controller.signal.reason as PhaseStopped | undefined)?.message;
    },
  };
}

/**
 * Ends fast-check's whole run, shrinking included, once `signal` aborted: an interrupting
 * precondition failure is fast-check's own way to stop (what its time limits use). Called at the
 * start of a property, and as `.catch(stopOn(signal))` of a request or a wait the signal cut short.
 */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new fc.PreconditionFailure(true);
}
export const stopOn =
  (signal: AbortSignal | undefined) =>
  (err: unknown): never => {
    stopIfAborted(signal);
    throw err;
  };
