/** A lifetime as people say it: "10 minutes", "1 hour", "2 days" (rounded up to the unit). */
export function durationText(seconds: number): string {
  const units: readonly (readonly [number, string])[] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) return plural(seconds / size, name);
  }
  if (seconds < 90) return plural(seconds, 'second');
  return plural(Math.ceil(seconds / 60), 'minute');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
