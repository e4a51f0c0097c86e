import { describe, expect, it } from 'vitest';
import { durationText, waitText } from '../../src/flows/duration-text.js';
import { utcMinute } from '../../src/flows/link-url.js';
import { phrases } from '../../src/flows/phrases.js';

describe('durationText', () => {
  it.each([
    [600, 'en', '10 minutes'],
    [3600, 'en', '1 hour'],
    [172800, 'en', '2 days'],
    [600, 'de', '10 Minuten'],
    [60, 'de', '1 Minute'],
    [3600, 'de', '1 Stunde'],
    [7200, 'de', '2 Stunden'],
    [86400, 'de', '1 Tag'],
    [172800, 'de', '2 Tage'],
    [45, 'de', '45 Sekunden'],
    [600, 'xx', '10 minutes'],
    [3600, 'fr', '1 heure'],
    [172800, 'fr', '2 jours'],
  ])('%i s in %s is %s', (seconds, language, text) => {
    expect(durationText(seconds, language)).toBe(text);
  });

  it('has the German dative plural for "innerhalb von"', () => {
    expect(durationText(172800, 'de', true)).toBe('2 Tagen');
    expect(durationText(3600, 'de', true)).toBe('1 Stunde');
  });
});

describe('waitText', () => {
  it('says seconds, then minutes rounded up, in the language', () => {
    expect(waitText(30)).toBe('30 seconds');
    expect(waitText(1)).toBe('1 second');
    expect(waitText(125)).toBe('3 minutes');
    expect(waitText(30, 'de')).toBe('30 Sekunden');
    expect(waitText(125, 'de')).toBe('3 Minuten');
  });
});

describe('utcMinute', () => {
  const at = Date.UTC(2026, 10, 22, 14, 5, 59);
  it('writes the time as the language writes dates, always in UTC', () => {
    expect(utcMinute(at)).toBe('2026-11-22 14:05 UTC');
    expect(utcMinute(at, 'de')).toBe('22.11.2026, 14:05 UTC');
    expect(utcMinute(at, 'fr')).toBe('22/11/2026 14:05 UTC');
  });
});

describe('phrases', () => {
  it('words the limits note in German with the dative duration', () => {
    expect(phrases('de').limits(5, durationText(86400 * 2, 'de', true))).toBe(
      'Sie können innerhalb von 2 Tagen bis zu 5 Links anfordern.',
    );
    expect(phrases('en').limits(5, '1 hour')).toBe('You can ask for up to 5 links every 1 hour.');
  });

  it('gives English to a language without its own', () => {
    expect(phrases('es').never).toBe('never');
    expect(phrases('fr').never).toBe('jamais');
  });
});
