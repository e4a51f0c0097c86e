import { parse, pattern } from 'iso8601-duration';

/** The library's pattern is unanchored and lets `P1DT` (a dangling T) through. */
const WHOLE = new RegExp(`^${pattern.source}$`);

/**
 * Calendar units use the Gregorian averages the Ruby `iso8601` gem uses when no base
 * date is given, so a config means the same number of seconds on any day.
 */
const SECONDS = {
  years: 31_556_952,
  months: 2_629_746,
  weeks: 604_800,
  days: 86_400,
  hours: 3_600,
  minutes: 60,
  seconds: 1,
} as const;

/**
 * An ISO 8601 duration (`PT10M`, `P2W`, `P1DT12H`) or a plain number of seconds
 * (number or numeric string), as whole seconds; undefined when it is neither.
 */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toUpperCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text));
  if (!WHOLE.test(text) || text.endsWith('T')) return undefined;
  let parts;
  try {
    parts = parse(text);
  } catch {
    return undefined;
  }
  let total = 0;
  for (const [unit, size] of Object.entries(SECONDS)) {
    total += (parts[unit as keyof typeof SECONDS] ?? 0) * size;
  }
  return Math.round(total);
}
