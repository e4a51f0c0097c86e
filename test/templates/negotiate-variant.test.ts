import { describe, expect, it } from 'vitest';
import { negotiateVariant } from '../../src/templates/negotiate-variant.js';

const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const SAFARI = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('negotiateVariant', () => {
  it.each([
    ['Firefox', FIREFOX, 'xhtml'],
    ['Chrome', CHROME, 'xhtml'],
    ['Safari', SAFARI, 'xhtml'],
    ['curl', '*/*', 'xhtml'],
    ['no Accept header', '', 'xhtml'],
    ['text/html alone', 'text/html', 'html'],
    ['text/plain alone', 'text/plain', 'text'],
    ['upper-case text/plain', 'TEXT/PLAIN', 'text'],
    ['text/*', 'text/*', 'html'],
    ['a type we do not have', 'image/png', 'xhtml'],
    ['XHTML refused', 'application/xhtml+xml;q=0, text/html', 'html'],
    ['HTML preferred over XHTML', 'application/xhtml+xml;q=0.5, text/html', 'html'],
    ['plain text preferred', 'text/plain, text/html;q=0.5', 'text'],
    ['HTML at a low q (unmatched types score 0.1)', 'text/html;q=0.1', 'xhtml'],
    ['feed reader', 'application/atom+xml, application/xml;q=0.9, text/plain;q=0.8', 'text'],
  ])('picks %s -> %s', (_who, accept, variant) => {
    expect(negotiateVariant(accept)).toBe(variant);
  });

  it.each([
    ['*/*;q=0'],
    ['application/xhtml+xml;q=0, text/html;q=0, text/plain;q=0'],
    ['text/*;q=0, application/*;q=0'],
  ])('answers XHTML when %s refuses everything', (accept) => {
    expect(negotiateVariant(accept)).toBe('xhtml');
  });

  it.each([
    [';;;,,,'],
    ['q=foo'],
    ['text/html;q=abc'],
    ['text/html;q=2'],
    ['*/html'],
    ['text/html/extra'],
    ['\u0000\u00ff\ud800'],
    ['x'.repeat(20_000)],
    ['a/b;q=0.5,'.repeat(2000)],
  ])('answers XHTML, without throwing, for garbage %#', (accept) => {
    expect(negotiateVariant(accept)).toBe('xhtml');
  });

  it('ignores only the malformed ranges of a header', () => {
    expect(negotiateVariant('text/html;q=oops, text/plain')).toBe('text');
  });

  it('answers a repeated header the same way', () => {
    expect(negotiateVariant('text/plain;q=0.9')).toBe('text');
    expect(negotiateVariant('text/plain;q=0.9')).toBe('text');
  });
});
