import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder.js';
import { isAppError } from '../../src/errors/app-error.js';
import type { AppError } from '../../src/errors/app-error.js';
import { configDir, ENV_VARS, loadConfig } from '../../src/config/load-config.js';

/** A fresh folder with forgetpw.yml holding `yaml`; returns the file's path. */
function configFile(yaml: string): string {
  const dir = tempFolder('fp-config-');
  const file = path.join(dir, 'forgetpw.yml');
  writeFileSync(file, yaml);
  return file;
}

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('loadConfig', () => {
  it('fills every default when the file only names the sender', () => {
    const config = loadConfig(configFile('email: {from: robot@example.org}\n'), { env: {} });
    expect(config).toMatchObject({
      host: 'localhost',
      port: 10101,
      pid: undefined,
      state: {
        dsn: 'sqlite://forgetpw.sqlite',
        user: undefined,
        password: undefined,
        options: {},
        expiry: { query: 600, cookie: 1_209_600, absolute: 7_776_000, slide: 3600 },
      },
      keys: { query: 'knock', cookie: 'forgetpw', email: 'email', forward: 'forward', logout: 'all' },
      vars: { user: 'FCGI_USER', redirect: 'FCGI_REDIRECT', type: 'FCGI_CONTENT_TYPE' },
      targets: {
        login: '/email-link',
        logout: '/logout',
        logout_one: '/logged-out',
        logout_all: '/logged-out-all',
      },
      templates: {
        path: undefined,
        transform: undefined,
        transform_on: 'client',
        mapping: {},
        base: undefined,
        site_mail: false,
      },
      email: { from: 'robot@example.org', method: 'sendmail', options: { path: 'sendmail' } },
      knock: { confirm: 'same-browser', opens: 'target' },
      trusted_proxies: [],
      privacy: { conceal_list: false },
      limits: {
        email_per_address: 5,
        email_per_address_total: 20,
        email_per_ip: 60,
        bad_tokens_per_ip: 50,
        window: 900,
      },
      sites: [],
      addresses: { recipient_delimiter: '+', extra_local_chars: '', unicode: false },
      cache: { ttl: 5, size: 2_000 },
      log: { level: 'info' },
      metrics: { listen: undefined },
    });
  });

  it('requires email.from', () => {
    const error = failure(() => loadConfig(configFile('port: 10101\n'), { env: {} }));
    expect(error.details).toEqual(['email.from: required']);
  });

  it('reports every mistake of a file at once, with key paths', () => {
    const file = configFile(
      [
        'port: 70000',
        'state:',
        '  expiry:',
        '    query: PT10X',
        'email:',
        '  from: robot@example.org',
        '  method: pigeon',
      ].join('\n'),
    );
    const error = failure(() => loadConfig(file, { env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`${file} has 3 problems`);
    expect(error.details).toEqual([
      'port: must be at most 65535',
      'state.expiry.query: "PT10X" is not an ISO 8601 duration',
      "email.method: expected one of sendmail, smtp, file (the Mail gem's test is read as file)",
    ]);
  });

  it('names unknown keys by their path and suggests the likely one', () => {
    const file = configFile(
      'email: {from: robot@example.org}\nstate:\n  expirey: {query: PT5M}\ncolour: blue\n',
    );
    const error = failure(() => loadConfig(file, { env: {} }));
    expect(error.details).toEqual([
      'state.expirey: unknown key (did you mean "expiry"?)',
      'colour: unknown key',
    ]);
  });

  it('reports a missing file as CONFIG_NOT_FOUND', () => {
    const missing = path.join(tempFolder('fp-config-'), 'forgetpw.yml');
    expect(failure(() => loadConfig(missing, { env: {} })).code).toBe('CONFIG_NOT_FOUND');
  });

  it('builds the config from base and overrides when the file may be missing', () => {
    const missing = path.join(tempFolder('fp-config-'), 'forgetpw.yml');
    const config = loadConfig(missing, {
      env: {},
      allowMissing: true,
      base: { email: { from: 'robot@example.org' } },
      overrides: { port: 10191 },
    });
    expect([config.email.from, config.port]).toEqual(['robot@example.org', 10191]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const file = configFile('email:\n  from: robot@example.org\nport: [10101\n');
    const error = failure(() => loadConfig(file, { env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^.*forgetpw\.yml is not valid YAML \(line 4, column 1: \S/);
    expect(error.details).toHaveLength(1);
  });

  it('does not quote the broken line of a YAML syntax error', () => {
    const file = configFile('email:\n  from: robot@example.org\nstate:\n  password: hunter2: x\n');
    const error = failure(() => loadConfig(file, { env: {} }));
    expect(error.message).toContain('line 4, column 13');
    expect([error.message, ...error.details].join('\n')).not.toContain('hunter2');
  });

  it('layers defaults, base, file, environment and overrides in that order', () => {
    const file = configFile(
      'email: {from: file@example.org}\nhost: file.example\nport: 2000\nlog: {level: warn}\n',
    );
    const config = loadConfig(file, {
      env: { FORGETPW_LOG_LEVEL: 'debug', FORGETPW_EMAIL_FROM: 'env@example.org' },
      base: { host: 'base.example', port: 1000, pid: '/run/base.pid', log: { level: 'error' } },
      overrides: { port: '3000' },
    });
    expect(config.pid).toBe('/run/base.pid');
    expect(config.host).toBe('file.example');
    expect(config.log.level).toBe('debug');
    expect(config.email.from).toBe('env@example.org');
    expect(config.port).toBe(3000);
  });

  it('takes the DSN and database credentials from the environment', () => {
    const file = configFile(
      'email: {from: robot@example.org}\nstate: {dsn: "sqlite://file.db", user: a, password: b}\n',
    );
    const config = loadConfig(file, {
      env: {
        FORGETPW_DSN: 'postgres:///fp',
        FORGETPW_DB_USER: 'fp',
        FORGETPW_DB_PASSWORD: 'pw',
        FORGETPW_LOG_LEVEL: '',
      },
    });
    expect(config.state).toMatchObject({ dsn: 'postgres:///fp', user: 'fp', password: 'pw' });
    expect(config.log.level).toBe('info');
  });

  it('lets the SMTP login from the environment replace the Mail gem names in the file', () => {
    const file = configFile(
      'email:\n  from: robot@example.org\n  method: smtp\n  options: {address: mx.example, user_name: a, password: b}\n',
    );
    const config = loadConfig(file, {
      env: { FORGETPW_SMTP_USER: 'env-user', FORGETPW_SMTP_PASSWORD: 'env-pass' },
    });
    expect(config.email.options).toEqual({
      host: 'mx.example',
      auth: { user: 'env-user', pass: 'env-pass' },
    });
  });

  it('documents every environment variable it reads', () => {
    expect(ENV_VARS.map((v) => v.name)).toEqual([
      'FORGETPW_DSN',
      'FORGETPW_DB_USER',
      'FORGETPW_DB_PASSWORD',
      'FORGETPW_SMTP_USER',
      'FORGETPW_SMTP_PASSWORD',
      'FORGETPW_EMAIL_FROM',
      'FORGETPW_LOG_LEVEL',
    ]);
    expect(ENV_VARS.every((v) => v.description !== '' && v.key !== '')).toBe(true);
  });

  it('resolves relative file names against the config file folder', () => {
    const file = configFile(
      'pid: run/fp.pid\ntemplates: {path: tpl}\nemail: {from: robot@example.org, method: file, options: {location: out}}\n',
    );
    const dir = path.dirname(file);
    const config = loadConfig(file, { env: {} });
    expect(config.pid).toBe(path.join(dir, 'run/fp.pid'));
    expect(config.templates.path).toBe(path.join(dir, 'tpl'));
    expect(config.email.options).toEqual({ path: path.join(dir, 'out') });
    expect(config.state.dsn).toBe('sqlite://forgetpw.sqlite');
    expect(configDir(file)).toBe(dir);
  });

  it('resolves a relative pid file from the command line against the working directory', () => {
    const file = configFile('email: {from: robot@example.org}\n');
    const config = loadConfig(file, { env: {}, overrides: { pid: 'fp.pid' } });
    expect(config.pid).toBe(path.resolve('fp.pid'));
  });

  it('accepts dotted keys in base and overrides', () => {
    const file = configFile('email: {from: robot@example.org}\n');
    const config = loadConfig(file, { env: {}, overrides: { 'state.dsn': 'postgres:///x' } });
    expect(config.state.dsn).toBe('postgres:///x');
  });

  it('treats a key with no value as not set', () => {
    const config = loadConfig(configFile('email: {from: robot@example.org}\npid:\nstate:\n'), { env: {} });
    expect([config.pid, config.state.dsn]).toEqual([undefined, 'sqlite://forgetpw.sqlite']);
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig(configFile('email: {from: robot@example.org}\n'), { env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.state.expiry)).toBe(true);
    expect(Object.isFrozen(config.trusted_proxies)).toBe(true);
    expect(Object.isFrozen(config.email.options)).toBe(true);
  });
});
