import { describe, expect, it } from 'vitest';
import {
  normalizeAddress,
  normalizeEmailDomain,
  normalizeWebDomain,
  parseAclSubject,
} from '../../src/policy/normalize-address.js';

describe('normalizeAddress', () => {
  it.each([
    ['alice@example.com', 'alice@example.com'],
    ['  alice@example.com\t', 'alice@example.com'],
    ['Alice@EXAMPLE.com', 'alice@example.com'],
    ['ALICE@Example.COM', 'alice@example.com'],
    ['alice@exämple.com', 'alice@xn--exmple-cua.com'],
    ['bob@xn--exmple-cua.com', 'bob@xn--exmple-cua.com'],
    ['first.last@example.com', 'first.last@example.com'],
    ['first_last-2@example.com', 'first_last-2@example.com'],
    ['a@localhost', 'a@localhost'],
    ['user@ＥＸＡＭＰＬＥ．com', 'user@example.com'],
    ['ｕｓｅｒ@example.com', 'user@example.com'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeAddress(input)).toEqual({ ok: true, address: expected, tag: '' });
  });

  it.each([
    ['attacker%evil.test@example.org'],
    ['evil.test!attacker@example.org'],
    ['=?utf-8?q?bob?=@example.org'],
    ['a`id`@example.org'],
    ['a$HOME@example.org'],
    ['a|b@example.org'],
    ['a&b@example.org'],
    ["o'brien@example.org"],
    ['ålice@example.com'],
    ['\u0130nfo@example.org'],
    ['\u0430lice@example.org'],
  ])('refuses %j by default (routing, shell or MIME characters, non-ASCII)', (input) => {
    expect(normalizeAddress(input)).toEqual({ ok: false, reason: 'invalid local part' });
  });

  it('allows the extra characters a setting names, never % or !', () => {
    const rules = { extraLocalChars: "'&", recipientDelimiter: '+', unicode: false };
    expect(normalizeAddress("O'Brien@example.org", rules)).toEqual({
      ok: true,
      address: "o'brien@example.org",
      tag: '',
    });
    expect(normalizeAddress('a&b@example.org', rules).ok).toBe(true);
    expect(normalizeAddress('a%b@example.org', { ...rules, extraLocalChars: '%!' }).ok).toBe(false);
    expect(normalizeAddress('a!b@example.org', { ...rules, extraLocalChars: '%!' }).ok).toBe(false);
  });

  it('allows non-ASCII local parts only when the setting says so, in one spelling', () => {
    const rules = { extraLocalChars: '', recipientDelimiter: '+', unicode: true };
    const composed = normalizeAddress('\u00c5lice@example.com', rules);
    expect(composed).toEqual({ ok: true, address: 'ålice@example.com', tag: '' });
    expect(normalizeAddress('a\u030alice@example.com', rules)).toEqual(composed);
  });

  it('folds a sub-address into the mailbox and keeps the tag apart', () => {
    expect(normalizeAddress('Intern+X@example.org')).toEqual({
      ok: true,
      address: 'intern@example.org',
      tag: 'x',
    });
    expect(normalizeAddress('bob+a+b@example.org')).toEqual({
      ok: true,
      address: 'bob@example.org',
      tag: 'a+b',
    });
    expect(normalizeAddress('+bob@example.org')).toEqual({ ok: true, address: '+bob@example.org', tag: '' });
  });

  it('keeps tags when the delimiter is off, and honours another delimiter', () => {
    const off = { extraLocalChars: '', recipientDelimiter: '', unicode: false };
    expect(normalizeAddress('bob+x@example.org', off)).toEqual({
      ok: true,
      address: 'bob+x@example.org',
      tag: '',
    });
    const dash = { ...off, recipientDelimiter: '-' };
    expect(normalizeAddress('bob-x@example.org', dash)).toEqual({
      ok: true,
      address: 'bob@example.org',
      tag: 'x',
    });
  });

  it.each([
    ['victim@x.test\r\nBcc: a@evil.test', 'control character'],
    ['victim@x.test\nBcc:a@evil.test', 'control character'],
    ['victim@x.test\r\n', 'control character'],
    ['victim\0@x.test', 'control character'],
    ['vic\ttim@x.test', 'control character'],
    ['vic\u0085tim@x.test', 'control character'],
    ['vic\u200btim@x.test', 'control character'],
    ['vic tim@x.test', 'whitespace'],
    ['victim@x.test\u2028', 'control character'],
    ['vic\u00a0tim@x.test', 'whitespace'],
    ['Bob <bob@x.com>', 'whitespace'],
    ['Bob<bob@x.com>', 'display name'],
    ['<bob@x.com>', 'display name'],
    ['"bob"@x.com', 'quoted text'],
    ['bob(comment)@x.com', 'quoted text'],
    ['bob@[127.0.0.1]', 'quoted text'],
    ['a@x.com,b@y.com', 'several addresses'],
    ['a@x.com;b@y.com', 'several addresses'],
    ['group:a@x.com', 'several addresses'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['alice', 'missing @'],
    ['a@b@c', 'several @'],
    ['@example.com', 'empty local part'],
    ['alice@', 'empty domain'],
    ['.alice@example.com', 'invalid local part'],
    ['alice.@example.com', 'invalid local part'],
    ['al..ice@example.com', 'invalid local part'],
    [`${'a'.repeat(65)}@example.com`, 'local part too long'],
    ['alice@example..com', 'invalid domain'],
    ['alice@-example.com', 'invalid domain'],
    ['alice@example-.com', 'invalid domain'],
    ['alice@exa_mple.com', 'invalid domain'],
    ['alice@example.com.', 'invalid domain'],
    ['alice@1.2.3.4', 'invalid domain'],
    ['alice@ex%41mple.com', 'invalid domain'],
    ['alice@xn--a.com', 'invalid domain'],
    [`alice@${'a'.repeat(64)}.com`, 'invalid domain'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(normalizeAddress(input)).toEqual({ ok: false, reason });
  });

  it('refuses an address over 254 octets', () => {
    const domain = `${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.com`;
    expect(normalizeAddress(`${'a'.repeat(20)}@${domain}`)).toEqual({ ok: false, reason: 'too long' });
  });

  it('accepts an address of exactly 254 octets', () => {
    const domain = `${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.com`;
    const local = 'a'.repeat(254 - 1 - domain.length);
    expect(normalizeAddress(`${local}@${domain}`)).toEqual({
      ok: true,
      address: `${local}@${domain}`,
      tag: '',
    });
  });

  it('is idempotent', () => {
    const once = normalizeAddress('  Alice@Exämple.COM ');
    expect(once.ok && normalizeAddress(once.address)).toEqual(once);
  });
});

describe('normalizeEmailDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    [' Example.COM ', 'example.com'],
    ['com', 'com'],
    ['exämple.com', 'xn--exmple-cua.com'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeEmailDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it.each(['', '@example.com', 'a@example.com', 'exa mple.com', 'example..com', 'example.com\r\n', '*'])(
    'refuses %j',
    (input) => {
      expect(normalizeEmailDomain(input).ok).toBe(false);
    },
  );
});

describe('normalizeWebDomain', () => {
  it.each([
    ['*', ''],
    ['', ''],
    ['  ', ''],
    ['Widgets.BIZ', 'widgets.biz'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
    ['[2001:DB8:0:0:0:0:0:1]', '[2001:db8::1]'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeWebDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it.each([
    'example.com:8080',
    'example.com:',
    'site.test\n',
    '[::1]:443',
    'http://example.com',
    'a/b',
    'exa mple.com',
    '999.1.1.1',
  ])('refuses %j', (input) => {
    expect(normalizeWebDomain(input).ok).toBe(false);
  });
});

describe('parseAclSubject', () => {
  it('reads a full address when there is an @', () => {
    expect(parseAclSubject('Bob@Example.com')).toEqual({
      ok: true,
      kind: 'address',
      value: 'bob@example.com',
    });
  });

  it('reads an e-mail domain when there is no @', () => {
    expect(parseAclSubject('Example.com')).toEqual({ ok: true, kind: 'domain', value: 'example.com' });
  });

  it('refuses an invalid address with its reason', () => {
    expect(parseAclSubject('x@y@z')).toEqual({ ok: false, reason: 'several @' });
  });

  it('refuses something that is neither', () => {
    expect(parseAclSubject('notanemail!').ok).toBe(false);
  });
});
