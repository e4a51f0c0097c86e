import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../src/http/negotiate-language.js';

const OFFERED = ['en', 'de'];

describe('negotiateLanguage', () => {
  it.each([
    ['a German Chrome', 'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', 'de'],
    ['an English Firefox', 'en-US,en;q=0.5', 'en'],
    ['Austrian German, region only', 'de-AT', 'de'],
    ['a script and region', 'de-Latn-CH', 'de'],
    ['upper case', 'DE-de', 'de'],
    ['a language we do not have', 'fr-FR,fr;q=0.9', 'en'],
    ['a language we do not have, then German', 'fr-FR,fr;q=0.9,de;q=0.5', 'de'],
    ['no header', '', 'en'],
    ['only a wildcard', '*', 'en'],
    ['German refused, anything else welcome', 'de;q=0, *;q=0.5', 'en'],
    ['German refused exactly though its region is listed', 'de-AT, de;q=0', 'en'],
    ['English preferred by q over German', 'de;q=0.4, en;q=0.8', 'en'],
    ['German preferred by q, listed last', 'en;q=0.3, de', 'de'],
    ['equal q: the one the browser listed first', 'de, en', 'de'],
    ['equal q, English listed first', 'en, de', 'en'],
    ['a malformed q is ignored, not fatal', 'de;q=2, en;q=0.1', 'en'],
    ['garbage', ';;,,=q, ***, d e', 'en'],
    ['spaces everywhere', '  de-AT ; q = 0.9 ,  en ; q=0.1 ', 'de'],
  ])('%s: %s -> %s', (_who, header, language) => {
    expect(negotiateLanguage(header, OFFERED)).toBe(language);
  });

  it('gives the first configured language to a browser asking for none of them', () => {
    expect(negotiateLanguage('fr', ['de', 'en'])).toBe('de');
    expect(negotiateLanguage('', ['de', 'en'])).toBe('de');
  });

  it('breaks a tie the browser left open by the configured order', () => {
    expect(negotiateLanguage('*', ['de', 'en'])).toBe('de');
    expect(negotiateLanguage('fr, *;q=0.5', ['en', 'de'])).toBe('en');
  });

  it('offers only the configured languages', () => {
    expect(negotiateLanguage('de-DE,de;q=0.9', ['en'])).toBe('en');
  });

  it('answers the same for the same header, also after many distinct ones', () => {
    for (let i = 0; i < 300; i++) negotiateLanguage(`x${String(i)}, de;q=0.${String((i % 9) + 1)}`, OFFERED);
    expect(negotiateLanguage('de-AT', OFFERED)).toBe('de');
    expect(negotiateLanguage('de-AT', ['en', 'fr'])).toBe('en');
  });
});
