// The sandbox command as a separate process: graceful stop on SIGTERM, and file-descriptor
// pressure under `ulimit -n 1024`. Runs dist/ (npm run build first), as the published bin does.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_TOKEN } from '../../src/sandbox/index.js';
import { spawnSandbox, type SandboxProcess } from '../support/sandbox-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}bin/live-platform.js`;
const built = existsSync(`${root}dist/cli/main.js`);
const auth = { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts `live-platform sandbox --port 0 ...` (through bash when `shell` is given) and waits for its URL. */
async function startChild(args: string[], shell?: string): Promise<SandboxProcess> {
  const child = shell
    ? await spawnSandbox('bash', ['-c', `${shell}; exec node ${bin} sandbox --port 0 ${args.join(' ')}`])
    : await spawnSandbox(process.execPath, [bin, 'sandbox', '--port', '0', ...args]);
  children.push(child.proc);
  return child;
}

describe('bin/live-platform.js sandbox as a process', () => {
  beforeAll(() => {
    if (!built) throw new Error('dist/ is missing: run npm run build before this test.');
  });

  it('on SIGTERM lets three delayed requests finish, then exits 0 by itself', async () => {
    const child = await startChild([]);
    const fault = await fetch(`${child.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'delay', delayMs: 1_500, count: 3, operationId: 'getTask' }),
    });
    expect(fault.status).toBe(201);
    const answers = [0, 1, 2].map(() =>
      fetch(`${child.url}/api/v2/task/tsk_185510`, { headers: auth }).then(async (r) => ({
        status: r.status,
        id: ((await r.json()) as { id: string }).id,
      })),
    );
    // All three are in their delay when the signal comes: they have taken the three faults.
    await expect
      .poll(
        async () => {
          const state = await fetch(`${child.url}/_sandbox/state?limit=1`, { headers: auth });
          return ((await state.json()) as { counts: { faults: number } }).counts.faults;
        },
        { timeout: 20_000 },
      )
      .toBe(0);
    child.proc.kill('SIGTERM');
    // A process that kept waiting (for idle keep-alive connections, say) is killed 15 s on, far past
    // its 1.5 s delays and 3 s drain, and then exits by SIGKILL, not 0.
    const killer = setTimeout(() => child.proc.kill('SIGKILL'), 15_000);
    expect(await Promise.all(answers)).toEqual(Array(3).fill({ status: 200, id: 'tsk_185510' }));
    const exit = await child.exited;
    clearTimeout(killer);
    expect(exit).toMatchObject({ code: 0, signal: null });
    // It stopped accepting.
    await expect(fetch(`${child.url}/api/v2/task/tsk_185510`, { headers: auth })).rejects.toThrow();
  });

  // 1024 is the case; 256 shows the default connection cap follows a lower limit.
  it.each([
    [1024, 1_100],
    [256, 400],
  ])(
    'under ulimit -n %i with %i half-sent requests open, a normal request gets its 200',
    async (fds, open) => {
      const child = await startChild([], `ulimit -n ${fds}`);
      const { hostname, port } = new URL(child.url);
      const sockets: Socket[] = [];
      try {
        // Open them in batches, as a hostile client would, each stuck in its headers.
        for (let i = 0; i < open; i += 100) {
          await Promise.all(
            Array.from(
              { length: 100 },
              () =>
                new Promise<void>((resolve) => {
                  const s = connect(Number(port), hostname, () => {
                    s.write('GET /api/v2/task/tsk_185510 HTTP/1.1\r\nHost: x\r\n');
                    resolve();
                  });
                  s.on('error', () => resolve());
                  sockets.push(s);
                }),
            ),
          );
        }
        // Not answered within 20 s, the request aborts and the test fails on the throw.
        const res = await fetch(`${child.url}/api/v2/task/tsk_185510`, {
          headers: auth,
          signal: AbortSignal.timeout(20_000),
        });
        expect(res.status).toBe(200);
      } finally {
        for (const s of sockets) s.destroy();
        child.proc.kill('SIGTERM');
        expect((await child.exited).code).toBe(0);
      }
    },
  );
});
