import { it } from 'vitest';
import { checkTarget } from '../../src/check/index.js';
import { startPrismMock } from '../../src/mock/prism.js';
import { startSandbox } from '../../src/sandbox/index.js';

it('scratch', async () => {
  const mock = process.env.TARGET === 'mock';
  const sb = mock
    ? await startPrismMock({
        log: (l) => {
          if (!/VALIDATOR|NO_PATH|NO_METHOD|info|Violation|awaiting/.test(l))
            console.log('PRISM', l.slice(0, 300));
        },
      })
    : await startSandbox({ port: 0, taskDurationMs: 100 });
  try {
    for (const seed of (process.env.SEEDS ?? '1').split(',').map(Number)) {
      const t = performance.now();
      const r = await checkTarget({
        baseUrl: sb.url,
        token: mock ? 'mock-token' : (sb as any).tokens[0],
        kind: mock ? 'mock' : 'sandbox',
        seed,
        maxExamples: Number(process.env.N ?? 25),
      });
      const f = r.outcomes.filter((o) => o.verdict === 'failed');
      console.log(
        seed,
        Math.round(performance.now() - t),
        r.requests,
        r.generated?.cases,
        r.generated?.discarded,
        r.generated?.warnings.length,
        f.length,
      );
      for (const o of f)
        console.log([
          o.operationId,
          o.check,
          o.caseName,
          o.reason,
          JSON.stringify(o.exchange?.request)?.slice(0, 400),
          o.exchange?.response?.bodyExcerpt.slice(0, 300),
        ]);
    }
  } finally {
    await sb.close();
  }
}, 600000);
