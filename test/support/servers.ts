// Starts the servers suites run against, openai-node style: start, wait until it listens, and let
// the suite close it in afterAll whatever happens. One switch, TEST_API_TARGET, picks the target of
// the suites that accept any server: `mock`, `sandbox` (the default) or `live`, which needs
// LIVE_PLATFORM_BASE_URL and LIVE_PLATFORM_TOKEN.
import { startPrismMock, type RunningServer } from '../../src/mock/prism.js';

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

export function targetKind(): TargetKind {
  const kind = (process.env.TEST_API_TARGET ?? 'sandbox') as TargetKind;
  if (!['mock', 'sandbox', 'live'].includes(kind)) {
    throw new Error(`TEST_API_TARGET must be mock, sandbox or live, not ${JSON.stringify(kind)}`);
  }
  return kind;
}
