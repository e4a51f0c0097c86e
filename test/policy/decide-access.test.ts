import { describe, expect, it } from 'vitest';
import type { AclRow } from '../../src/policy/acl-row.js';
import { accessCandidates, decideAccess } from '../../src/policy/decide-access.js';

const allow = (domain: string, address: string): AclRow => ({ domain, address, allow: true });
const deny = (domain: string, address: string): AclRow => ({ domain, address, allow: false });

describe('accessCandidates', () => {
  it('lists every web-domain level from most specific to the wildcard', () => {
    expect(accessCandidates('a.b.example', 'x@y.test').domains).toEqual([
      'a.b.example',
      'b.example',
      'example',
      '',
    ]);
  });

  it('lists the address, then its e-mail domain down to the bare TLD', () => {
    expect(accessCandidates('site.test', 'bob@mail.corp.example.com').addresses).toEqual([
      'bob@mail.corp.example.com',
      'mail.corp.example.com',
      'corp.example.com',
      'example.com',
      'com',
    ]);
  });

  it('normalises host and address before listing them', () => {
    expect(accessCandidates('Bücher.Example', 'Bob@EXÄMPLE.com')).toEqual({
      domains: ['xn--bcher-kva.example', 'example', ''],
      addresses: ['bob@xn--exmple-cua.com', 'xn--exmple-cua.com', 'com'],
    });
  });

  it('gives an IP host no parent levels', () => {
    expect(accessCandidates('127.0.0.1', 'a@b.test').domains).toEqual(['127.0.0.1', '']);
  });

  it('leaves only the wildcard for a host that is no host name', () => {
    expect(accessCandidates('', 'a@b.test').domains).toEqual(['']);
  });

  it('lists no address candidates for an unusable address', () => {
    expect(accessCandidates('site.test', 'Bob <bob@x.com>').addresses).toEqual([]);
  });
});

describe('decideAccess', () => {
  const cases: Array<{ name: string; host: string; address: string; rows: AclRow[]; allowed: boolean }> = [
    { name: 'denies when there is no row', host: 'site.test', address: 'a@x.test', rows: [], allowed: false },
    {
      name: 'allows an exact address on the site',
      host: 'site.test',
      address: 'a@x.test',
      rows: [allow('site.test', 'a@x.test')],
      allowed: true,
    },
    {
      name: 'allows an e-mail domain on the site',
      host: 'site.test',
      address: 'a@x.test',
      rows: [allow('site.test', 'x.test')],
      allowed: true,
    },
    {
      name: 'allows everyone of a TLD when the row is the bare TLD',
      host: 'site.test',
      address: 'a@x.test',
      rows: [allow('site.test', 'test')],
      allowed: true,
    },
    {
      name: 'lets a permit at the site beat a block at the wildcard',
      host: 'site.test',
      address: 'a@x.test',
      rows: [deny('', 'a@x.test'), allow('site.test', 'x.test')],
      allowed: true,
    },
    {
      name: 'lets a block at the site beat a permit at the wildcard',
      host: 'site.test',
      address: 'a@x.test',
      rows: [allow('', 'a@x.test'), deny('site.test', 'x.test')],
      allowed: false,
    },
    {
      name: 'lets subdomains of a permitted site inherit the permit',
      host: 'a.widgets.biz',
      address: 'bob@example.com',
      rows: [allow('widgets.biz', 'example.com')],
      allowed: true,
    },
    {
      name: 'lets the nearer site level win over a parent site',
      host: 'a.widgets.biz',
      address: 'bob@example.com',
      rows: [allow('widgets.biz', 'bob@example.com'), deny('a.widgets.biz', 'example.com')],
      allowed: false,
    },
    {
      name: 'does not let a subdomain permit reach the parent site',
      host: 'widgets.biz',
      address: 'bob@example.com',
      rows: [allow('a.widgets.biz', 'example.com')],
      allowed: false,
    },
    {
      name: 'lets a more specific e-mail domain beat a less specific one',
      host: 'site.test',
      address: 'bob@evil.example.com',
      rows: [allow('site.test', 'example.com'), deny('site.test', 'evil.example.com')],
      allowed: false,
    },
    {
      name: 'blocks one address inside a permitted domain',
      host: 'site.test',
      address: 'mallory@example.com',
      rows: [allow('site.test', 'example.com'), deny('site.test', 'mallory@example.com')],
      allowed: false,
    },
    {
      name: 'still allows the other addresses of that domain',
      host: 'site.test',
      address: 'alice@example.com',
      rows: [allow('site.test', 'example.com'), deny('site.test', 'mallory@example.com')],
      allowed: true,
    },
    {
      name: 'denies with a deny row that had no permit before (revoke without prior permit)',
      host: 'site.test',
      address: 'a@x.test',
      rows: [deny('site.test', 'a@x.test'), allow('', 'x.test')],
      allowed: false,
    },
    {
      name: 'applies a wildcard permit to every site',
      host: 'any.where.test',
      address: 'a@x.test',
      rows: [allow('', 'x.test')],
      allowed: true,
    },
    {
      name: 'ignores rows of unrelated sites',
      host: 'site.test',
      address: 'a@x.test',
      rows: [allow('other.test', 'a@x.test')],
      allowed: false,
    },
    {
      name: 'does not match a domain row by suffix of a label (ample.com vs example.com)',
      host: 'site.test',
      address: 'a@example.com',
      rows: [allow('site.test', 'ample.com')],
      allowed: false,
    },
    {
      name: 'compares hosts case-insensitively',
      host: 'SITE.Test',
      address: 'a@x.test',
      rows: [allow('site.test', 'a@x.test')],
      allowed: true,
    },
    {
      name: 'compares IDNA hosts in their encoded form',
      host: 'bücher.example',
      address: 'a@x.test',
      rows: [allow('xn--bcher-kva.example', 'a@x.test')],
      allowed: true,
    },
    {
      name: 'compares addresses case-insensitively',
      host: 'site.test',
      address: 'Alice@EXAMPLE.com',
      rows: [allow('site.test', 'alice@example.com')],
      allowed: true,
    },
    {
      name: 'denies an unusable address whatever the rows say',
      host: 'site.test',
      address: 'a@x.test, b@x.test',
      rows: [allow('', 'test'), allow('site.test', 'x.test')],
      allowed: false,
    },
  ];

  it.each(cases)('$name', ({ host, address, rows, allowed }) => {
    expect(decideAccess(host, address, rows).allowed).toBe(allowed);
  });

  it('reports the row that decided', () => {
    const rule = deny('site.test', 'mallory@example.com');
    expect(
      decideAccess('site.test', 'mallory@example.com', [allow('site.test', 'example.com'), rule]),
    ).toEqual({
      allowed: false,
      rule,
    });
  });

  it('reports no row when denied by default', () => {
    expect(decideAccess('site.test', 'a@x.test', [])).toEqual({ allowed: false });
  });
});
