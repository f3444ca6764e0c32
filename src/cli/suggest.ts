/** Edit distance (insert, delete, substitute: each 1), for "did you mean" on mistyped names. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known name closest to `input`, when it is close enough to be a typo: at most a third of its
 * length wrong (so `chek` finds `check`, and `x` finds nothing). Names are short, so the cost is nil.
 */
export function closest(input: string, known: readonly string[]): string | undefined {
  const distance = (name: string) => levenshtein(input.toLowerCase(), name.toLowerCase());
  const best = [...known].sort((a, b) => distance(a) - distance(b))[0];
  if (best === undefined) return undefined;
  return distance(best) <= Math.max(1, Math.floor(Math.max(input.length, best.length) / 3))
    ? best
    : undefined;
}

/** ` Did you mean "check"?`, or nothing. */
export function didYouMean(input: string, known: readonly string[]): string {
  const match = closest(input, known);
  return match ? ` Did you mean ${JSON.stringify(match)}?` : '';
}
