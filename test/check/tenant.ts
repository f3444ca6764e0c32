// How the broken-server tests check a server: as a tenant the checker did not start, with writes
// allowed, a lead to convert and quick polls. One place for the options they all share.
import { checkTarget, type CheckTargetOptions, type TargetReport } from '../../src/check/index.js';
import { GOOD_TOKEN, LEAD_TENANT, type RunningTestServer } from './broken/conforming.js';

export function checkAsTenant(
  baseUrl: string,
  extra: Partial<CheckTargetOptions> = {},
): Promise<TargetReport> {
  return checkTarget({
    baseUrl,
    token: GOOD_TOKEN,
    kind: 'live',
    allowWrites: true,
    leadTenantId: LEAD_TENANT,
    pollIntervalMs: 10,
    ...extra,
  });
}

/** Starts a server, checks it as a tenant and closes it, whatever the check does. */
export async function checkFresh(
  start: () => Promise<RunningTestServer>,
  extra: Partial<CheckTargetOptions> = {},
): Promise<TargetReport> {
  const server = await start();
  try {
    return await checkAsTenant(server.url, extra);
  } finally {
    await server.close();
  }
}
