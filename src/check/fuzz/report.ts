import { excerpt } from '../../internal/excerpt.js';
import type { TargetReport } from '../types.js';

/**
 * The generated phase in a few lines per target: the seed (always, so that any run can be replayed),
 * how many cases ran, each minimal failure's input, and the warnings for rules that are ours.
 */
export function generatedSection(reports: TargetReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    const g = r.generated;
    if (!g) continue;
    const rate = g.durationMs > 0 ? Math.round((g.cases * 1000) / g.durationMs) : g.cases;
    out.push(
      '',
      `Generated cases on ${r.target.name}: seed ${g.seed} (replay: --seed ${g.seed}), ${g.maxExamples} examples per operation and kind, ${g.cases} requests in ${(g.durationMs / 1000).toFixed(1)} s (${rate}/s), ${g.discarded} discarded by the contract's validators`,
    );
    if (g.sequences)
      out.push(
        `  sequences (spec/workflows/provisioning.arazzo.json): ${g.sequences.runs} run, ${g.sequences.completed} to the last step`,
      );
    for (const f of g.failures) {
      out.push(
        `  ✗ ${f.operationId} (${f.kind}${f.label ? `: ${f.label}` : ''}) ${f.checks.join(', ')}; minimal after ${f.numShrinks} shrinks: ${f.request.method} ${f.request.path}${f.request.body === undefined ? '' : `  ${excerpt(f.request.body, 300, { flatten: true })}`}`,
      );
    }
    if (g.warnings.length) {
      out.push(`  Warnings (rules the contract chose where the vendor is silent; not failures):`);
      for (const w of g.warnings.slice(0, 10))
        out.push(`  ! ${w.operationId} ${w.label} (${w.evidence}) accepted with ${w.status}`);
      if (g.warnings.length > 10) out.push(`  … and ${g.warnings.length - 10} more in the JSON report.`);
    }
  }
  return out;
}
