/**
 * A lifetime as people say it: "10 minutes", "1 hour", "2 days" (rounded up to the unit),
 * in the page's language. German pages word it so the accusative fits ("10 Minuten lang");
 * `dative` is for "innerhalb von 2 Tagen", the one form where German changes the word.
 */
type Unit = 'day' | 'hour' | 'minute' | 'second';

/** One, many, many after a dative preposition. German and French strings are here (and in phrases.ts). */
const UNITS: Readonly<Record<string, Readonly<Record<Unit, readonly [string, string, string]>>>> = {
  en: {
    day: ['day', 'days', 'days'],
    hour: ['hour', 'hours', 'hours'],
    minute: ['minute', 'minutes', 'minutes'],
    second: ['second', 'seconds', 'seconds'],
  },
  de: {
    day: ['Tag', 'Tage', 'Tagen'],
    hour: ['Stunde', 'Stunden', 'Stunden'],
    minute: ['Minute', 'Minuten', 'Minuten'],
    second: ['Sekunde', 'Sekunden', 'Sekunden'],
  },
  fr: {
    day: ['jour', 'jours', 'jours'],
    hour: ['heure', 'heures', 'heures'],
    minute: ['minute', 'minutes', 'minutes'],
    second: ['seconde', 'secondes', 'secondes'],
  },
};

export function durationText(seconds: number, language = 'en', dative = false): string {
  const units: readonly (readonly [number, Unit])[] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) return counted(seconds / size, name, language, dative);
  }
  if (seconds < 90) return counted(seconds, 'second', language, dative);
  return counted(Math.ceil(seconds / 60), 'minute', language, dative);
}

/** How long to wait before trying again (a throttled page): seconds, else minutes rounded up. */
export function waitText(seconds: number, language = 'en'): string {
  if (seconds < 90) return counted(seconds, 'second', language, false);
  return counted(Math.ceil(seconds / 60), 'minute', language, false);
}

function counted(n: number, unit: Unit, language: string, dative: boolean): string {
  const words = (UNITS[language] ?? UNITS['en']!)[unit];
  const word = n === 1 ? words[0] : dative ? words[2] : words[1];
  return `${n} ${word}`;
}
