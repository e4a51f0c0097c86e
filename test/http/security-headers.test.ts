import { describe, expect, it } from 'vitest';
import { PAGE_HEADERS } from '../../src/http/security-headers.js';

describe('PAGE_HEADERS', () => {
  const get = (name: string): string | undefined => PAGE_HEADERS.find(([n]) => n === name)?.[1];

  it('forbids caching', () => {
    expect(get('Cache-Control')).toBe('no-store');
  });

  it('sends no Referer', () => {
    expect(get('Referrer-Policy')).toBe('strict-origin');
  });

  it('forbids sniffing and framing', () => {
    expect(get('X-Content-Type-Options')).toBe('nosniff');
    expect(get('X-Frame-Options')).toBe('DENY');
  });

  it('restricts scripts, forms, frames and base URLs', () => {
    expect(get('Content-Security-Policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
    );
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(PAGE_HEADERS)).toBe(true);
  });
});
