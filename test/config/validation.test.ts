import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder.js';
import { isAppError } from '../../src/errors/app-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';

const nowhere = (): string => path.join(tempFolder('fp-valid-'), 'forgetpw.yml');

function load(settings: Record<string, unknown>): Config {
  return loadConfig(nowhere(), {
    env: {},
    allowMissing: true,
    base: { email: { from: 'robot@example.org' }, ...settings },
  });
}

function problems(settings: Record<string, unknown>): readonly string[] {
  try {
    load(settings);
  } catch (error) {
    if (isAppError(error, 'CONFIG_INVALID')) return error.details;
    throw error;
  }
  return [];
}

describe('config validation', () => {
  it('reads durations given as ISO 8601 or as seconds', () => {
    const config = load({ state: { expiry: { query: 'PT5M', cookie: 3600, slide: '60' } } });
    expect(config.state.expiry).toMatchObject({ query: 300, cookie: 3600, slide: 60 });
  });

  it('reports a bad duration with its path and value', () => {
    expect(problems({ limits: { window: 'quarter hour' } })).toEqual([
      'limits.window: "quarter hour" is not an ISO 8601 duration',
    ]);
  });

  it('refuses a zero link lifetime or rate-limit window', () => {
    expect(problems({ state: { expiry: { query: 0 } }, limits: { window: 'PT0S' } })).toEqual([
      'state.expiry.query: must be at least 1 second',
      'limits.window: must be at least 1 second',
    ]);
  });

  it('checks the port range and host syntax', () => {
    expect(problems({ port: 0, host: 'bad host!' })).toEqual([
      'host: "bad host!" is not a host name or IP address',
      'port: must be at least 1',
    ]);
  });

  it('accepts host names and IP addresses to listen on', () => {
    expect(['localhost', '127.0.0.1', '::1', 'gate.example.org'].map((host) => load({ host }).host)).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'gate.example.org',
    ]);
  });

  it('holds keys and vars to the original rule, after trimming', () => {
    expect(load({ keys: { cookie: ' session ' } }).keys.cookie).toBe('session');
    expect(problems({ keys: { query: '1knock' }, vars: { user: 'FCGI USER' } })).toEqual([
      'keys.query: "1knock" must match ^[A-Za-z_][0-9A-Za-z_.-]*$',
      'vars.user: "FCGI USER" must match ^[A-Za-z_][0-9A-Za-z_.-]*$',
    ]);
  });

  it('requires targets to be absolute paths', () => {
    expect(problems({ targets: { login: 'email-link', logout: '/logout?x=1' } })).toEqual([
      'targets.login: "email-link" is not an absolute path (starting with /, no query)',
      'targets.logout: "/logout?x=1" is not an absolute path (starting with /, no query)',
    ]);
  });

  it('takes logout targets as paths or absolute http(s) URLs, as the original did', () => {
    const targets = load({
      targets: { logout_one: 'https://www.example.org/bye', logout_all: '/logged-out-all' },
    }).targets;
    expect([targets.logout_one, targets.logout_all]).toEqual([
      'https://www.example.org/bye',
      '/logged-out-all',
    ]);
    expect(problems({ targets: { logout_one: 'javascript:alert(1)', logout_all: 'logged-out' } })).toEqual([
      'targets.logout_one: "javascript:alert(1)" is not an absolute path (starting with /, no query) or an http(s) URL',
      'targets.logout_all: "logged-out" is not an absolute path (starting with /, no query) or an http(s) URL',
    ]);
  });

  it('takes template mappings from page state names to file names or paths', () => {
    const dir = tempFolder('fp-valid-');
    const withoutPath = loadConfig(path.join(dir, 'forgetpw.yml'), {
      env: {},
      allowMissing: true,
      base: {
        email: { from: 'robot@example.org' },
        templates: {
          mapping: {
            'Email-Sent': 'sent.xhtml',
            default_401: 'site/401.xhtml',
            default_404: '/srv/404.xhtml',
          },
        },
      },
    });
    // A plain name is a file of the templates folder; a path without templates.path is the config's.
    expect(withoutPath.templates.mapping).toEqual({
      email_sent: 'sent.xhtml',
      default_401: path.join(dir, 'site', '401.xhtml'),
      default_404: '/srv/404.xhtml',
    });
    // With templates.path, createPages resolves a relative one against that folder, as the original did.
    expect(
      load({ templates: { path: '/srv/t', mapping: { default_401: '../x.xhtml' } } }).templates.mapping,
    ).toEqual({
      default_401: '../x.xhtml',
    });
    expect(problems({ templates: { mapping: { email_snet: 'a.xhtml', default_401: 'site/' } } })).toEqual([
      'templates.mapping.email_snet: unknown page state (did you mean "email_sent"?)',
      'templates.mapping.default_401: "site/" is not a file name or path',
    ]);
  });

  it('reads a stylesheet the daemon applies as a file next to the config', () => {
    const dir = tempFolder('fp-valid-');
    const at = (transform: string) =>
      loadConfig(path.join(dir, 'forgetpw.yml'), {
        env: {},
        allowMissing: true,
        base: { email: { from: 'robot@example.org' }, templates: { transform, transform_on: 'server' } },
      }).templates;
    expect(at('style/site.xsl')).toMatchObject({
      transform: path.join(dir, 'style', 'site.xsl'),
      transform_on: 'server',
    });
    expect(at('file:///srv/site.xsl').transform).toBe('/srv/site.xsl');
    expect(load({ templates: { transform: 'style/site.xsl' } }).templates).toMatchObject({
      transform: 'style/site.xsl',
      transform_on: 'client',
    });
    expect(problems({ templates: { transform_on: 'server' } })).toEqual([
      'templates.transform_on: server needs templates.transform: the stylesheet file to apply',
    ]);
    expect(
      problems({ templates: { transform: 'https://cdn.example/site.xsl', transform_on: 'server' } }),
    ).toEqual([
      'templates.transform: with transform_on: server the daemon reads the stylesheet itself: name its file (a path or file: URL), not an http URL',
    ]);
    expect(problems({ templates: { transform_on: 'browser' } })).toEqual([
      'templates.transform_on: expected one of client, server',
    ]);
  });

  it('refuses sqlite::memory:, which no other process could fill, naming a file instead', () => {
    const [problem] = problems({ state: { dsn: 'sqlite::memory:' } });
    expect(problem).toMatch(/^state\.dsn: sqlite::memory: is not kept between processes/);
    expect(problem).toContain('use a file, such as sqlite:///var/lib/forgetpw/forgetpw.sqlite');
  });

  it('accepts URLs and paths for the stylesheet and mail base, nothing that breaks markup', () => {
    const config = load({ templates: { transform: '/style/page.xsl', base: 'https://example.org/' } });
    expect([config.templates.transform, config.templates.base]).toEqual([
      '/style/page.xsl',
      'https://example.org/',
    ]);
    expect(problems({ templates: { transform: 'javascript:alert(1)', base: 'a"b' } })).toEqual([
      'templates.transform: "javascript:alert(1)" is not a URL or path',
      'templates.base: "a\\"b" is not a URL or path',
    ]);
  });

  it('takes trusted proxies as IP addresses or CIDR ranges', () => {
    expect(load({ trusted_proxies: ['10.0.0.0/8', '::1'] }).trusted_proxies).toEqual(['10.0.0.0/8', '::1']);
    expect(load({ trusted_proxies: '192.0.2.1, 192.0.2.2' }).trusted_proxies).toEqual([
      '192.0.2.1',
      '192.0.2.2',
    ]);
    expect(problems({ trusted_proxies: ['10.0.0.0/33', 'proxy.example'] })).toEqual([
      'trusted_proxies[0]: "10.0.0.0/33" is not an IP address or CIDR range',
      'trusted_proxies[1]: "proxy.example" is not an IP address or CIDR range',
    ]);
  });

  it('takes metrics.listen as host:port', () => {
    expect(load({ metrics: { listen: '[::1]:9464' } }).metrics.listen).toBe('[::1]:9464');
    expect(problems({ metrics: { listen: '9464' } })).toEqual([
      'metrics.listen: "9464" is not host:port (such as 127.0.0.1:9464)',
    ]);
  });

  it('accepts one mailbox as email.from, with or without a display name', () => {
    expect(load({ email: { from: 'Gate Robot <robot@example.org>' } }).email.from).toBe(
      'Gate Robot <robot@example.org>',
    );
    expect(problems({ email: { from: 'a@example.org, b@example.org' } })).toHaveLength(1);
    expect(problems({ email: { from: 'robot@example.org\r\nBcc: x@example.org' } })).toEqual([
      'email.from: "robot@example.org\\r\\nBcc: x@example.org" is not one mailbox (robot@example.org or Name <robot@example.org>)',
    ]);
  });

  it('reads choices case-insensitively and rejects others', () => {
    expect(load({ knock: { confirm: 'Always' }, log: { level: 'DEBUG' } })).toMatchObject({
      knock: { confirm: 'always' },
      log: { level: 'debug' },
    });
    expect(problems({ knock: { confirm: 'sometimes' } })).toEqual([
      'knock.confirm: expected one of same-browser, always, never',
    ]);
  });

  it('reads yes/no style booleans and rejects other words', () => {
    expect(load({ privacy: { conceal_list: 'yes' } }).privacy.conceal_list).toBe(true);
    expect(problems({ privacy: { conceal_list: 'maybe' } })).toEqual([
      'privacy.conceal_list: expected true or false',
    ]);
  });

  it('passes unknown database driver options through and maps the Sequel names', () => {
    expect(load({ state: { options: { max_connections: '4', keepAlive: true } } }).state.options).toEqual({
      pool: { max: 4 },
      keepAlive: true,
    });
  });

  it('names the original JWT keys as unsupported rather than unknown', () => {
    expect(problems({ jwt: { secret: 's' } })).toEqual([
      "jwt: not supported: the original's unreleased 0.4.0 JWT variable is not part of this version",
    ]);
  });

  it('ignores the base key the original wrote for its mint verb', () => {
    expect(Object.keys(load({ base: 'https://example.org/' }))).not.toContain('base');
  });
});
