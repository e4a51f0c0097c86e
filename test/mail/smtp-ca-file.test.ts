/**
 * The Mail gem's `ca_file` against a real TLS SMTP server whose certificate a private CA
 * signed (made here with openssl): trusted with it, refused without it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createMailer } from '../../src/mail/create-mailer.js';
import { tempFolder } from '../support/temp-folder.js';

const dir = tempFolder('fp-smtp-ca-');
let server: SMTPServer;
let port: number;
const received: string[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Relay Test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=mx.test',
    '-keyout',
    'mx.key',
    '-out',
    'mx.csr',
  );
  writeFileSync(path.join(dir, 'mx.ext'), 'subjectAltName=DNS:mx.test,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'mx.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'mx.ext',
    '-out',
    'mx.pem',
  );
  server = new SMTPServer({
    secure: true,
    key: readFileSync(path.join(dir, 'mx.key')),
    cert: readFileSync(path.join(dir, 'mx.pem')),
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  // The refused handshake ends a connection with an error on the server's side: expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

function mailer(options: Record<string, unknown>) {
  const config = loadConfig(path.join(dir, 'forgetpw.yml'), {
    env: {},
    allowMissing: true,
    base: {
      email: {
        from: 'gate@site.example',
        method: 'smtp',
        options: { address: '127.0.0.1', port, ssl: true, ...options },
      },
    },
  });
  return createMailer(config.email, { log: pino({ level: 'silent' }) });
}

describe('email.options.ca_file', () => {
  it('trusts a relay whose certificate the given CA signed', async () => {
    const m = mailer({ ca_file: 'ca.pem' });
    try {
      await m.verify();
      await m.send({ to: 'ann@example.org', subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' });
    } finally {
      m.close();
    }
    expect(received.some((raw) => raw.includes('Subject: Hello'))).toBe(true);
  });

  it('refuses the same relay without it', async () => {
    const m = mailer({});
    try {
      await expect(m.verify()).rejects.toMatchObject({ code: 'MAIL_FAILED' });
    } finally {
      m.close();
    }
  });
});
