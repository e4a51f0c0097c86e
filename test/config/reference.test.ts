import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder.js';
import { loadConfig } from '../../src/config/load-config.js';
import { configReference } from '../../src/config/reference.js';

function leafPaths(value: unknown, prefix = ''): string[] {
  const isGroup = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (
    !isGroup ||
    prefix === 'templates.mapping' ||
    prefix === 'templates.sites' ||
    prefix === 'site_name' ||
    prefix.endsWith('.options')
  )
    return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    leafPaths(child, prefix === '' ? key : `${prefix}.${key}`),
  );
}

describe('configReference', () => {
  it('documents exactly the keys a loaded config has, plus the ignored base', () => {
    const file = path.join(tempFolder('fp-ref-'), 'forgetpw.yml');
    const config = loadConfig(file, {
      env: {},
      allowMissing: true,
      base: { email: { from: 'a@example.org' } },
    });
    const documented = configReference()
      .map((row) => row.key)
      .filter((key) => !/^(email|state)\.options\./.test(key));
    expect(documented.sort()).toEqual([...leafPaths(config), 'base'].sort());
  });

  it('gives every key a description and a default', () => {
    for (const row of configReference()) {
      expect(row.description, row.key).not.toBe('');
      expect(row.default, row.key).not.toBe('');
    }
  });

  it('writes defaults as an admin would type them', () => {
    const byKey = new Map(configReference().map((row) => [row.key, row.default]));
    expect(byKey.get('port')).toBe('10101');
    expect(byKey.get('state.expiry.cookie')).toBe('P2W');
    expect(byKey.get('email.from')).toBe('(required)');
    expect(byKey.get('trusted_proxies')).toBe('[]');
    expect(byKey.get('email.options.path')).toBe('sendmail: sendmail; file: mail');
  });

  it('documents the Mail gem aliases and what tls: false means', () => {
    const byKey = new Map(configReference().map((row) => [row.key, row.description]));
    for (const alias of [
      'address',
      'user_name',
      'password',
      'domain',
      'enable_starttls_auto',
      'openssl_verify_mode',
    ]) {
      expect(byKey.has(`email.options.${alias}`), alias).toBe(true);
    }
    expect(byKey.get('email.options.tls')).toContain('`tls: false` means no implicit TLS');
  });
});
