import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_TOKEN } from '../../src/sandbox/index.js';
import { startSandboxTarget } from '../support/servers.js';

describe('test/support/servers.ts: startSandboxTarget', () => {
  it('starts a sandbox Target whose token the sandbox accepts', async () => {
    const target = await startSandboxTarget({ taskDurationMs: 10 });
    try {
      expect(target.kind).toBe('sandbox');
      expect(target.token).toBe(DEFAULT_SANDBOX_TOKEN);
      const res = await fetch(`${target.baseUrl}/api/v2/task/tsk_185510`, {
        headers: { authorization: `Bearer ${target.token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await target.close();
    }
  });

  it('uses the first custom token', async () => {
    const target = await startSandboxTarget({ tokens: ['t-one', 't-two'] });
    try {
      expect(target.token).toBe('t-one');
    } finally {
      await target.close();
    }
  });
});
