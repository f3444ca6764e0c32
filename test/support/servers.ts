// Starts the servers suites run against, openai-node style: start, wait until it listens, and let
// the suite close it in afterAll whatever happens. One switch, TEST_API_TARGET, picks the target of
// the suites that accept any server: `mock`, `sandbox` or `live`, which needs LIVE_PLATFORM_BASE_URL
// and LIVE_PLATFORM_TOKEN. Unset, it is `live` when those two are set and `sandbox` otherwise.
import { startPrismMock, type RunningServer } from '../../src/mock/prism.js';
import { DEFAULT_SANDBOX_TOKEN, startSandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export type TargetKind = 'mock' | 'sandbox' | 'live';

export interface Target {
  kind: TargetKind;
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

/** Any bearer is accepted by Prism; a fixed string keeps requests reproducible. */
export const MOCK_TOKEN = 'mock-token';

export function liveConfig(): { baseUrl: string; token: string } | null {
  const baseUrl = process.env.LIVE_PLATFORM_BASE_URL;
  const token = process.env.LIVE_PLATFORM_TOKEN;
  return baseUrl && token ? { baseUrl, token } : null;
}

export async function startMock(): Promise<Target> {
  const server: RunningServer = await startPrismMock();
  return { kind: 'mock', baseUrl: server.url, token: MOCK_TOKEN, close: server.close };
}

/** TEST_API_TARGET, else `live` when a tenant is configured, else `sandbox`. */
export function targetKind(): TargetKind {
  const kind = (process.env.TEST_API_TARGET || (liveConfig() ? 'live' : 'sandbox')) as TargetKind;
  if (!['mock', 'sandbox', 'live'].includes(kind)) {
    throw new Error(`TEST_API_TARGET must be mock, sandbox or live, not ${JSON.stringify(kind)}`);
  }
  return kind;
}

/** A fresh in-process sandbox on a free port; its token is DEFAULT_SANDBOX_TOKEN unless `tokens` says otherwise. */
export async function startSandboxTarget(options: SandboxOptions = {}): Promise<Target> {
  const sandbox = await startSandbox(options);
  return {
    kind: 'sandbox',
    baseUrl: sandbox.url,
    token: sandbox.tokens[0] ?? DEFAULT_SANDBOX_TOKEN,
    close: sandbox.close,
  };
}

/**
 * The server targetKind() names: `sandbox`, `mock`, or `live` (LIVE_PLATFORM_BASE_URL and
 * LIVE_PLATFORM_TOKEN). A live target is not ours to stop, so its close() does nothing.
 */
export async function startTarget(options: { sandbox?: SandboxOptions } = {}): Promise<Target> {
  const kind = targetKind();
  if (kind === 'mock') return startMock();
  if (kind === 'sandbox') return startSandboxTarget(options.sandbox);
  const live = liveConfig();
  if (!live) {
    throw new Error(
      'TEST_API_TARGET=live needs LIVE_PLATFORM_BASE_URL and LIVE_PLATFORM_TOKEN; set both, or use TEST_API_TARGET=sandbox.',
    );
  }
  return { kind: 'live', baseUrl: live.baseUrl, token: live.token, close: async () => {} };
}
