import { expect } from 'vitest';
import type { GateAnswer } from '../support/gate-client.js';

/**
 * The headers every page of the gate carries (issue 4): never cached (a page may hold
 * a link token or an address), no Referer to anywhere, no sniffing, never framed (the
 * confirm button must not be clickjacked).
 */
export function expectPageHeaders(answer: GateAnswer): void {
  expect(answer.header('Cache-Control')).toBe('no-store');
  expect(answer.header('Referrer-Policy')).toBe('strict-origin');
  expect(answer.header('X-Content-Type-Options')).toBe('nosniff');
  expect(answer.header('X-Frame-Options')).toBe('DENY');
  const csp = answer.header('Content-Security-Policy') ?? '';
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name.toLowerCase(), values.join(' ')] as const;
    }),
  );
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(directives.get('default-src')).toBe("'none'");
  expect(directives.get('form-action')).toBe("'self'");
  expect(csp).not.toContain('script-src');
}
