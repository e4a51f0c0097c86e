/** How the Ruby gem's timestamps read back (ORIGINAL §3.4). */
const STAMP =
  /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/**
 * A gem timestamp as milliseconds since the epoch. Sequel writes `YYYY-MM-DD HH:MM:SS[.ffffff]`,
 * with an offset only when told to; a zone-less value is read in `zone`.
 */
export function gemTime(value: unknown, zone: 'local' | 'utc'): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const match = STAMP.exec(value.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', offset] = match;
  const parts = [
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(`0.${frac}`) * 1000,
  ] as const;
  if (offset === undefined) {
    return zone === 'utc' ? Date.UTC(...parts) : new Date(...parts).getTime();
  }
  const utc = Date.UTC(...parts);
  if (offset.toUpperCase() === 'Z') return utc;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return utc - sign * minutes * 60_000;
}
