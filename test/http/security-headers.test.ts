import { describe, expect, it } from 'vitest';
import { PAGE_HEADERS, pageHeaders } from '../../src/http/security-headers.js';

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
      "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
    );
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(PAGE_HEADERS)).toBe(true);
  });
});

describe('pageHeaders', () => {
  const csp = (policy: Parameters<typeof pageHeaders>[0]): string | undefined =>
    pageHeaders(policy).find(([n]) => n === 'Content-Security-Policy')?.[1];

  it('allows the origin of a browser-side transform under script-src, and nothing else', () => {
    expect(csp({ transform: 'https://static.example.org/x/page.xsl' })).toBe(
      "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; script-src https://static.example.org",
    );
    expect(csp({ transform: '/transform.xsl' })).toContain("script-src 'self'");
  });

  it('adds the sources of templates.csp to their directives', () => {
    const policy = csp({ extra: "style-src https://cdn.example; font-src https://fonts.example 'self'" });
    expect(policy).toContain("style-src 'self' 'unsafe-inline' https://cdn.example;");
    expect(policy).toContain("font-src https://fonts.example 'self'");
    expect(policy).toContain("default-src 'none'");
  });
});
