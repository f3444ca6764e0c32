import { startPrismMock } from '../mock/prism.js';
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from '../sandbox/index.js';
import { checkTarget, type CheckTargetOptions } from './run.js';
import type { TargetReport } from './types.js';

export type EmbeddedCheckOptions = Pick<
  CheckTargetOptions,
  'maxResponseTimeMs' | 'only' | 'onProgress' | 'concurrency' | 'seed' | 'maxExamples' | 'generate'
> & {
  /** Aborting closes the embedded servers, even one still starting (the CLI aborts on Ctrl-C). */
  signal?: AbortSignal;
};

/** Prism accepts any bearer; a fixed one keeps the curl commands of a report reproducible. */
const MOCK_TOKEN = 'mock-token';

/**
 * Starts the Prism mock and the sandbox (tasks of 100 ms), checks both at once, and closes them
 * whatever happens. The sandbox check runs while Prism is still starting.
 */
export async function checkEmbedded(options: EmbeddedCheckOptions = {}): Promise<TargetReport[]> {
  const { signal, ...checkOptions } = options;
  const closeOnAbort = <T extends { close(): Promise<void> }>(server: T): T => {
    if (signal?.aborted) void server.close();
    signal?.addEventListener('abort', () => void server.close(), { once: true });
    return server;
  };
  const mock = (async () => {
    const server = closeOnAbort(await startPrismMock());
    try {
      return await checkTarget({ ...checkOptions, baseUrl: server.url, token: MOCK_TOKEN, kind: 'mock' });
    } finally {
      await server.close();
    }
  })();
  const sandbox = (async () => {
    const server = closeOnAbort(await startSandbox({ port: 0, taskDurationMs: 100 }));
    try {
      return await checkTarget({
        ...checkOptions,
        baseUrl: server.url,
        token: server.tokens[0] ?? DEFAULT_SANDBOX_TOKEN,
        kind: 'sandbox',
      });
    } finally {
      await server.close();
    }
  })();
  const settled = await Promise.allSettled([mock, sandbox]);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<TargetReport>).value);
}
