/** `2026-11-22 14:05:09Z` for tables ('-' for never): UTC, as every time the store holds. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '-';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Full ISO 8601 (UTC) for `--json`, null for never. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
