import { MissingPrismError, PRISM_INSTALL, prismInstalled, startPrismMock } from '../mock/prism.js';
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from '../sandbox/index.js';
import { checkTarget, type CheckTargetOptions } from './run.js';
import type { TargetReport } from './types.js';

export type EmbeddedCheckOptions = Pick<
  CheckTargetOptions,
  | 'maxResponseTimeMs'
  | 'only'
  | 'onProgress'
  | 'concurrency'
  | 'strict'
  | 'requestTimeoutMs'
  | 'taskTimeoutMs'
  | 'seed'
  | 'maxExamples'
  | 'generate'
  | 'phaseTimeoutMs'
  | 'onExchange'
> & {
  /**
   * Aborting stops the checks within moments and closes the embedded servers, even one still
   * starting (the CLI aborts on Ctrl-C); the reports of what completed are returned.
   */
  signal?: AbortSignal;
  /**
   * Check the Prism mock too: `'auto'` (default) when Prism is installed, `true` requires it
   * (MissingPrismError otherwise), `false` checks the sandbox alone.
   */
  mock?: boolean | 'auto';
};

/** What checkEmbedded will start here, and a line for each target it will skip, saying how to enable it. */
export function embeddedPlan(mock: boolean | 'auto' = 'auto'): { targets: string[]; skipped: string[] } {
  const withMock = mock === 'auto' ? prismInstalled() : mock;
  return withMock
    ? { targets: ['the Prism mock', 'the sandbox'], skipped: [] }
    : {
        targets: ['the sandbox'],
        skipped: [
          mock === false
            ? 'mock: skipped (not requested)'
            : `mock: skipped because Prism is not installed (it is an optional peer; ${PRISM_INSTALL} to check the mock too)`,
        ],
      };
}

/** Prism accepts any bearer; a fixed one keeps the curl commands of a report reproducible. */
const MOCK_TOKEN = 'mock-token';

/**
 * Starts the Prism mock (when installed, see `mock`) and the sandbox (tasks of 100 ms), checks
 * them at once, and closes them whatever happens. The sandbox check runs while Prism is still
 * starting. A client-only install has no Prism: then only the sandbox is checked, and
 * embeddedPlan() says so.
 */
export async function checkEmbedded(options: EmbeddedCheckOptions = {}): Promise<TargetReport[]> {
  const { signal, mock: mockOption = 'auto', ...checkOptions } = options;
  const withMock = mockOption === false ? false : prismInstalled();
  if (mockOption === true && !withMock) throw new MissingPrismError();
  // Aborted, a target that had not started yet has nothing to report; the others report what completed.
  const unlessAborted = (err: unknown): undefined => {
    if (signal?.aborted) return undefined;
    throw err;
  };
  /** Starts one target, checks it and closes it whatever happens. */
  const checkOn = async (
    kind: 'mock' | 'sandbox',
    start: () => Promise<{ url: string; close(): Promise<void>; tokens?: string[] }>,
  ) => {
    signal?.throwIfAborted();
    const server = await start();
    try {
      const token = kind === 'mock' ? MOCK_TOKEN : (server.tokens?.[0] ?? DEFAULT_SANDBOX_TOKEN);
      const target = { baseUrl: server.url, token, kind };
      return await checkTarget({ ...checkOptions, ...(signal ? { signal } : {}), ...target });
    } finally {
      await server.close();
    }
  };
  const mock = withMock
    ? checkOn('mock', () => startPrismMock(signal ? { signal } : {})).catch(unlessAborted)
    : undefined;
  const sandbox = checkOn('sandbox', () => startSandbox({ port: 0, taskDurationMs: 100 })).catch(
    unlessAborted,
  );
  // Both settle first, so that both servers are closed before a failure is thrown.
  const settled = await Promise.allSettled([mock, sandbox]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
}
