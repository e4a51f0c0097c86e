/**
 * The Mail gem's `ca_file`/`ca_path` SMTP options (OpenSSL's CAfile/CApath) read into
 * nodemailer's `tls.ca`, once, when the config is loaded: a missing file stops the start
 * (and `check`), not the first mail. Node's `ca` replaces the system's roots while
 * OpenSSL's adds to them, so the system's are kept in the list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import type { Config } from './config.js';

const PEM = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

type Options = Readonly<Record<string, unknown>>;

/** Problems go to `problems` with their key paths; the config comes back unchanged then. */
export function readCaFiles(config: Config, dir: string, problems: string[]): Config {
  const tls = config.email.options['tls'];
  if (config.email.method !== 'smtp' || typeof tls !== 'object' || tls === null) return config;
  const { caFile, caPath, ...rest } = tls as Options;
  if (caFile === undefined && caPath === undefined) return config;
  const before = problems.length;
  const found: string[] = [];
  if (typeof caFile === 'string') {
    const file = path.resolve(dir, caFile);
    const text = readText(file, 'email.options.ca_file', problems);
    if (text !== undefined) {
      const certs = text.match(PEM) ?? [];
      if (certs.length === 0) problems.push(`email.options.ca_file: ${file} holds no PEM certificate`);
      found.push(...certs);
    }
  }
  if (typeof caPath === 'string') {
    const folder = path.resolve(dir, caPath);
    let names: string[] = [];
    try {
      names = readdirSync(folder).sort();
    } catch (error) {
      problems.push(`email.options.ca_path: cannot read the folder ${folder} (${code(error)})`);
    }
    const already = found.length;
    for (const name of names) {
      const file = path.join(folder, name);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
      found.push(...(readText(file, 'email.options.ca_path', problems)?.match(PEM) ?? []));
    }
    if (names.length > 0 && found.length === already) {
      problems.push(`email.options.ca_path: ${folder} holds no PEM certificate file`);
    }
  }
  if (problems.length > before) return config;
  const given = rest['ca'];
  const extra = given === undefined ? [] : Array.isArray(given) ? (given as unknown[]) : [given];
  const options = {
    ...config.email.options,
    tls: { ...rest, ca: [...rootCertificates, ...extra, ...found] },
  };
  return { ...config, email: { ...config.email, options } };
}

function readText(file: string, key: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${key}: cannot read ${file} (${code(error)})`);
    return undefined;
  }
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
