// The sandbox's own problem replies: its caps, which are configuration (./limits.ts). Every other
// problem body and reply is built in src/internal/problems.ts.
import { problemReply, type Reply } from '../internal/problems.js';
import { CAP_KNOBS, type StateLimits } from './limits.js';

/**
 * 403, which every operation declares: the request is understood and refused, and repeating it
 * will not help until the state is reset or the sandbox restarted with a larger cap.
 */
export function capReached(cap: keyof StateLimits, limits: StateLimits, what: string): Reply {
  const [flag, option] = CAP_KNOBS[cap];
  return problemReply(
    403,
    `The sandbox holds its maximum of ${limits[cap]} ${what} (a sandbox cap, not a Live Platform rule). ` +
      `Reset it with POST /_sandbox/reset, or start it with a larger ${flag} (startSandbox option ${option}).`,
  );
}

/** 429 when every task is still InProgress at the cap: they finish, so waiting does help. */
export function tasksBusy(limits: StateLimits, taskDurationMs: number): Reply {
  const seconds = String(Math.max(1, Math.ceil(taskDurationMs / 1000)));
  return {
    ...problemReply(
      429,
      `The sandbox holds its maximum of ${limits.maxTasks} tasks and none has finished yet (a sandbox cap). ` +
        `Retry after ${seconds} seconds, reset with POST /_sandbox/reset, or start it with a larger --max-tasks.`,
    ),
    headers: { 'retry-after': seconds },
  };
}
