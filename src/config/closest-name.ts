function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, substitution);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/**
 * The known name a mistyped key most likely meant (at most two edits away, case
 * and separators ignored), as a message suffix: ` (did you mean "expiry"?)`.
 */
export function didYouMean(word: string, names: readonly string[]): string {
  const fold = (text: string): string => text.toLowerCase().replace(/[ _-]/g, '');
  const typed = fold(word);
  const best = names
    .map((name) => ({ name, cost: distance(typed, fold(name)) }))
    .filter(({ cost }) => cost > 0 && cost <= 2 && cost < typed.length)
    .sort((x, y) => x.cost - y.cost)[0];
  return best === undefined ? '' : ` (did you mean "${best.name}"?)`;
}
