import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder.js';
import { isAppError } from '../../src/errors/app-error.js';
import { loadConfig } from '../../src/config/load-config.js';

const nowhere = (): string => path.join(tempFolder('fp-mail-'), 'forgetpw.yml');

function emailWith(method: string, options: Record<string, unknown>) {
  return loadConfig(nowhere(), {
    env: {},
    allowMissing: true,
    base: { email: { from: 'robot@example.org', method, options } },
  }).email;
}

function problems(method: string, options: Record<string, unknown>): readonly string[] {
  try {
    emailWith(method, options);
  } catch (error) {
    if (isAppError(error, 'CONFIG_INVALID')) return error.details;
    throw error;
  }
  return [];
}

describe('email.options for smtp', () => {
  it('passes nodemailer names through', () => {
    const options = {
      host: 'mx.example',
      port: 465,
      secure: true,
      name: 'gate.example',
      auth: { user: 'u', pass: 'p' },
      tls: { servername: 'mx.example' },
      connectionTimeout: 1000,
    };
    expect(emailWith('smtp', options).options).toEqual(options);
  });

  it('maps the Mail gem names of an original config', () => {
    const options = emailWith('smtp', {
      address: 'mx.example',
      port: 587,
      domain: 'gate.example',
      user_name: 'robot',
      password: 'pw',
      authentication: 'plain',
      enable_starttls_auto: true,
      openssl_verify_mode: 'none',
    }).options;
    expect(options).toEqual({
      host: 'mx.example',
      port: 587,
      name: 'gate.example',
      auth: { user: 'robot', pass: 'pw' },
      tls: { rejectUnauthorized: false },
    });
  });

  it('means no implicit TLS by tls: false, unlike the original', () => {
    expect(emailWith('smtp', { address: 'mx.example', tls: false }).options).toEqual({
      host: 'mx.example',
      secure: false,
    });
    expect(emailWith('smtp', { address: 'mx.example', ssl: true }).options['secure']).toBe(true);
  });

  it('coerces strings that look like numbers and booleans, as the original did', () => {
    const options = emailWith('smtp', {
      address: 'mx.example',
      port: '587',
      tls: 'false',
      password: 12345,
    }).options;
    expect(options).toEqual({ host: 'mx.example', port: 587, secure: false, auth: { pass: '12345' } });
  });

  it('turns enable_starttls_auto: false into ignoreTLS', () => {
    expect(emailWith('smtp', { enable_starttls_auto: 'false' }).options).toEqual({
      host: 'localhost',
      ignoreTLS: true,
    });
  });

  it('finds keys whatever their case and separators, writing nodemailer spelling', () => {
    expect(emailWith('smtp', { 'Require-TLS': true, HOST: 'mx.example' }).options).toEqual({
      requireTLS: true,
      host: 'mx.example',
    });
  });

  it('reports bad values and unknown keys with their paths', () => {
    expect(problems('smtp', { port: 'twenty-five', auth: { user: 'u', passwd: 'x' }, bogus: 1 })).toEqual([
      'email.options.port: expected a number',
      'email.options.auth.passwd: unknown key',
      'email.options.bogus: unknown key for method smtp',
    ]);
  });

  it('refuses two names for one setting', () => {
    expect(problems('smtp', { host: 'a.example', address: 'b.example' })).toEqual([
      'email.options.address: sets the same option as "host"',
    ]);
  });
});

describe('email.options for sendmail and file', () => {
  it('defaults sendmail to the binary on PATH', () => {
    expect(emailWith('sendmail', {}).options).toEqual({ path: 'sendmail' });
  });

  it('maps the Mail gem sendmail names', () => {
    expect(
      emailWith('sendmail', { location: '/usr/sbin/sendmail', arguments: '-i -f robot@example.org' }).options,
    ).toEqual({ path: '/usr/sbin/sendmail', args: ['-i', '-f', 'robot@example.org'] });
  });

  it('refuses SMTP keys for sendmail', () => {
    expect(problems('sendmail', { host: 'mx.example' })).toEqual([
      'email.options.host: unknown key for method sendmail',
    ]);
  });

  it('writes files to a mail folder next to the config by default', () => {
    const file = nowhere();
    const email = loadConfig(file, {
      env: {},
      allowMissing: true,
      base: { email: { from: 'robot@example.org', method: 'file' } },
    }).email;
    expect(email.options).toEqual({ path: path.join(path.dirname(file), 'mail') });
  });
});

describe('Mail gem delivery methods and SMTP CA files', () => {
  it('reads the Mail gem test method as file: nothing is sent, each mail is kept', () => {
    const file = nowhere();
    const email = loadConfig(file, {
      env: {},
      allowMissing: true,
      base: { email: { from: 'robot@example.org', method: ':test' } },
    }).email;
    expect(email).toMatchObject({ method: 'file', options: { path: path.join(path.dirname(file), 'mail') } });
  });

  it('refuses logger, which would log each login link, naming file instead', () => {
    expect(problems('logger', {})).toEqual([
      'email.method: "logger": the Mail gem\'s logger would write each mail, with its login link, into a log; use `file` (one .eml file per mail in email.options.path) instead',
    ]);
    expect(problems('smtp_connection', {})).toEqual([
      'email.method: "smtp_connection": use `smtp` (one connection per mail)',
    ]);
  });

  it('reads ca_file and ca_path into tls.ca, beside the system roots', () => {
    const dir = tempFolder('fp-ca-');
    const [first = '', second = ''] = rootCertificates;
    writeFileSync(path.join(dir, 'relay-ca.pem'), `# our relay\n${first}\n`);
    mkdirSync(path.join(dir, 'certs'));
    writeFileSync(path.join(dir, 'certs', 'a.0'), second);
    writeFileSync(path.join(dir, 'certs', 'README'), 'not a certificate\n');
    const email = loadConfig(path.join(dir, 'forgetpw.yml'), {
      env: {},
      allowMissing: true,
      base: {
        email: {
          from: 'robot@example.org',
          method: 'smtp',
          options: {
            address: 'mx.example',
            ca_file: 'relay-ca.pem',
            ca_path: 'certs',
            tls: { servername: 'mx' },
          },
        },
      },
    }).email;
    const tls = email.options['tls'] as { ca: string[]; servername: string };
    expect(tls.servername).toBe('mx');
    expect(tls.ca).toHaveLength(rootCertificates.length + 2);
    expect(tls.ca.slice(-2)).toEqual([first.trim(), second.trim()]);
    expect(Object.keys(tls)).toEqual(['servername', 'ca']);
  });

  it('names the key and the file when a CA file is missing or holds no certificate', () => {
    const dir = tempFolder('fp-ca-');
    writeFileSync(path.join(dir, 'empty.pem'), 'nothing here\n');
    const refused = (options: Record<string, unknown>): readonly string[] => {
      try {
        loadConfig(path.join(dir, 'forgetpw.yml'), {
          env: {},
          allowMissing: true,
          base: { email: { from: 'robot@example.org', method: 'smtp', options } },
        });
      } catch (error) {
        if (isAppError(error, 'CONFIG_INVALID')) return error.details;
        throw error;
      }
      return [];
    };
    expect(refused({ ca_file: 'missing.pem', ca_path: 'nowhere' })).toEqual([
      `email.options.ca_file: cannot read ${path.join(dir, 'missing.pem')} (ENOENT)`,
      `email.options.ca_path: cannot read the folder ${path.join(dir, 'nowhere')} (ENOENT)`,
    ]);
    expect(refused({ ca_file: 'empty.pem' })).toEqual([
      `email.options.ca_file: ${path.join(dir, 'empty.pem')} holds no PEM certificate`,
    ]);
  });
});
