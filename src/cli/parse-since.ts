import { AppError } from '../errors/app-error.js';
import { durationSeconds } from '../config/duration-seconds.js';

/** 2026-11-22, 2026-11-22T14:05, 2026-11-22 14:05:09.5+01:00 ... */
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * `--since`: an ISO 8601 duration back from `now` (P7D, PT1H) or an ISO date/time.
 * A time without a zone is UTC, as every time in the store (no local-time mix-ups).
 */
export function parseSince(text: string, now: number): number {
  const trimmed = text.trim();
  if (/^P/i.test(trimmed)) {
    const seconds = durationSeconds(trimmed);
    if (seconds !== undefined) return now - seconds * 1000;
  }
  const date = DATE.exec(trimmed);
  if (date !== null) {
    const iso = trimmed.replace(' ', 'T');
    const ms = Date.parse(date[1] === undefined && iso.includes('T') ? `${iso}Z` : iso);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new AppError(
    'USAGE',
    `--since: expected a duration (P7D, PT1H) or an ISO date (2026-11-22, 2026-11-22T14:05Z): ${JSON.stringify(text)}`,
  );
}
