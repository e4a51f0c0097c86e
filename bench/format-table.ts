/** A plain-text table with aligned columns (and a Markdown one for BENCHMARKS.md). */
export function formatTable(
  head: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  markdown = false,
): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    markdown
      ? `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`
      : cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = markdown
    ? `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`
    : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(head), rule, ...rows.map(line)].join('\n');
}
