import { describe, expect, it } from 'vitest';
import type { TargetReport } from '../../src/check/index.js';
import { SUBTLE_SERVERS } from './subtle/index.js';
import { checkFresh } from './tenant.js';

const SEED = 4242;

const check = (s: (typeof SUBTLE_SERVERS)[number], extra: { generate?: boolean; seed?: number }) =>
  checkFresh(s.start, { only: s.operationId, maxExamples: 200, ...extra });

const failed = (r: TargetReport) => r.outcomes.filter((o) => o.verdict === 'failed');

describe('generated cases find the subtle broken servers (test/check/subtle) that the deterministic cases miss', () => {
  for (const s of SUBTLE_SERVERS) {
    it(
      s.name,
      async () => {
        const deterministic = await check(s, { generate: false });
        expect(failed(deterministic)).toEqual([]);

        const first = await check(s, { seed: SEED });
        const finding = first.generated?.failures.find(
          (f) => f.operationId === s.operationId && f.kind === 'valid',
        );
        expect(finding, JSON.stringify(first.generated?.failures)).toBeDefined();
        expect(finding!.checks).toContain(s.check);
        expect(s.isTrigger(finding!.request)).toBe(true);
        // The report's failure carries the minimal request, so its curl line reproduces it.
        const outcome = failed(first).find((o) => o.check === s.check);
        expect(outcome?.exchange?.request).toEqual(finding!.request);
        expect(outcome?.caseName).toMatch(/minimal after \d+ shrinks \(seed 4242\)/);

        const replay = await check(s, { seed: SEED });
        // Everything but the clock and the run prefix (unique per run) replays: the same minimal
        // request, shrink count and failing request number.
        const untimed = (r: TargetReport) =>
          JSON.stringify(r.generated?.failures.map(({ firstFailureMs: _ms, ...f }) => f)).replaceAll(
            r.runPrefix,
            '<prefix>',
          );
        expect(untimed(replay)).toEqual(untimed(first));
      },
      120_000,
    );
  }
});
