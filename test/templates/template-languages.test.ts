import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import type { RenderOptions } from '../../src/flows/pages.js';
import { createPages, type LoadedPages, type PagesOptions } from '../../src/templates/create-pages.js';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { attribute, wellFormed } from './xml-query.js';

const VARS = {
  LOGIN: '/email-link',
  FORWARD: 'https://docs.example.org/a',
  EMAIL: 'alice@example.org',
  DOMAIN: 'docs.example.org',
  SITE_NAME: 'Docs',
  FROM: 'gate@docs.example.org',
  KNOCK_URL: 'https://docs.example.org/email-link?knock=K',
  URL: 'https://docs.example.org/a',
  PRETTY_URL: 'docs.example.org/a',
  EXPIRES: '22.11.2026, 14:05 UTC',
  EXPIRES_IN: '10 Minuten',
};
const GERMAN: RenderOptions = { accept: '', documentRoot: undefined, base: undefined, language: 'de' };
const ENGLISH: RenderOptions = { ...GERMAN, language: 'en' };

function pages(options: Partial<PagesOptions> = {}): LoadedPages {
  return createPages({ path: undefined, mapping: {}, transform: undefined, base: undefined, log: silent(), ...options });
}

function silent(): Logger {
  return pino({ level: 'silent' });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fp-languages-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function minimal(title: string, language = 'en'): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="${language}" xml:lang="${language}"><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

const body = (p: LoadedPages, options: RenderOptions, state: 'default_401' | 'email_sent' = 'default_401'): string =>
  p.page(state, VARS, options).body.toString('utf8');

describe('createPages in more than one language', () => {
  it('serves the German set for German and says so', () => {
    const page = pages().page('default_401', VARS, GERMAN);
    expect(page.language).toBe('de');
    const root = wellFormed(page.body.toString('utf8'));
    expect([attribute(root, 'lang'), attribute(root, 'xml:lang')]).toEqual(['de', 'de']);
    expect(page.body.toString('utf8')).toContain('<title>Anmelden · Docs</title>');
    expect(page.body.toString('utf8')).toContain('Ihre E-Mail-Adresse');
  });

  it('serves English without a language, for English, and for a language not offered', () => {
    for (const language of [undefined, 'en', 'es']) {
      const options = { accept: '', documentRoot: undefined, base: undefined };
      const page = pages().page('default_401', VARS, language === undefined ? options : { ...options, language });
      expect(page.language).toBe('en');
      expect(page.body.toString('utf8')).toContain('<title>Log In · Docs</title>');
    }
  });

  it('serves English to German readers when templates.languages offers English only', () => {
    const page = pages({ languages: ['en'] }).page('default_401', VARS, GERMAN);
    expect(page.language).toBe('en');
  });

  it('writes the mail in the language asked for, subject included', () => {
    const mail = pages().mail(VARS, undefined, 'email', { language: 'de' });
    expect(mail.language).toBe('de');
    expect(mail.subject).toBe('Anmelden bei Docs');
    expect(mail.text).toContain(
      'Dieser Link und der Code unten sind 10 Minuten lang gültig (bis 22.11.2026, 14:05 UTC)',
    );
    expect(pages().mail(VARS, undefined).subject).toBe('Log in to Docs');
  });

  it("gives German readers the packaged German page where a folder has only its own English", () => {
    const dir = tempDir();
    cpSync(packagedFolder('templates'), dir, { recursive: true });
    unlinkSync(join(dir, 'de', 'email-sent.xhtml'));
    writeFileSync(join(dir, 'email-sent.xhtml'), minimal('Our Own Sent Page'));
    const p = pages({ path: dir });
    // An override replaces one file in one language: the German file is looked for in every
    // folder before English is (README: set templates.languages to [en] to keep English only).
    const sent = p.page('email_sent', VARS, GERMAN);
    expect(sent.language).toBe('de');
    expect(sent.body.toString('utf8')).toContain('Prüfen Sie Ihre E-Mails');
    expect(p.page('email_sent', VARS, ENGLISH).body.toString('utf8')).toContain('<h1>Our Own Sent Page</h1>');
    expect(p.untranslated).toEqual([]);
  });

  it('shows a page no folder translates in English, never an error page', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'basic-401.xhtml'), minimal('Members Only'));
    mkdirSync(join(dir, 'de'));
    writeFileSync(join(dir, 'de', 'basic-404.xhtml'), minimal('Nicht hier', 'de'));
    const p = pages({ path: dir });
    // basic-401 in German: this folder has none, the package has one.
    expect(body(p, GERMAN)).toContain('Anmelden · Docs');
    expect(p.page('default_404', VARS, GERMAN).body.toString('utf8')).toContain('<h1>Nicht hier</h1>');
    expect(body(p, ENGLISH)).toContain('<h1>Members Only</h1>');
  });

  it('takes English when neither the folder nor the package has the German file', () => {
    const dir = tempDir();
    cpSync(packagedFolder('templates'), dir, { recursive: true });
    writeFileSync(join(dir, 'mine.xhtml'), minimal('Our Own Log In'));
    const p = pages({ path: dir, mapping: { default_401: 'mine.xhtml' } });
    const page = p.page('default_401', VARS, GERMAN);
    expect(page.language).toBe('en');
    expect(page.body.toString('utf8')).toContain('<h1>Our Own Log In</h1>');
    expect(p.untranslated).toEqual(['de/mine.xhtml', 'fr/mine.xhtml']);
  });

  it('looks for a mapped path\'s translation beside it, never takes the English file for German', () => {
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, 'login.xhtml'), minimal('Our Own Log In'));
    writeFileSync(join(elsewhere, 'bye.xhtml'), minimal('Goodbye'));
    mkdirSync(join(elsewhere, 'de'));
    writeFileSync(join(elsewhere, 'de', 'login.xhtml'), minimal('Unsere Anmeldung', 'de'));
    const p = pages({
      mapping: { default_401: join(elsewhere, 'login.xhtml'), default_404: join(elsewhere, 'bye.xhtml') },
    });
    const german = p.page('default_401', VARS, GERMAN);
    expect(german.language).toBe('de');
    expect(german.body.toString('utf8')).toContain('<h1>Unsere Anmeldung</h1>');
    expect(body(p, ENGLISH)).toContain('<h1>Our Own Log In</h1>');
    // No German beside it: the English page, said to be English.
    const bye = p.page('default_404', VARS, GERMAN);
    expect(bye.language).toBe('en');
    expect(bye.body.toString('utf8')).toContain('<h1>Goodbye</h1>');
  });

  it('refuses a language that has no templates anywhere', () => {
    const error = failure(() => pages({ languages: ['en', 'es'] }));
    expect(isAppError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as { details: string[] }).details.join('\n')).toMatch(/templates\.languages: es has no folder/);
  });

  it('takes a language an admin added in templates.path/<lang>/', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'es'));
    writeFileSync(join(dir, 'es', 'basic-401.xhtml'), minimal('Entrar', 'es'));
    const p = pages({ path: dir, languages: ['en', 'es'] });
    expect(p.page('default_401', VARS, { ...GERMAN, language: 'es' }).language).toBe('es');
    // Everything else it lacks in Spanish is English (the package's: the folder has no English either).
    expect(p.page('default_404', VARS, { ...GERMAN, language: 'es' }).language).toBe('en');
  });
});

describe('createPages per-site overrides in a language', () => {
  it('uses .forgetpw/de/<file> for German and .forgetpw/<file> for English', () => {
    const root = tempDir();
    mkdirSync(join(root, '.forgetpw', 'de'), { recursive: true });
    writeFileSync(join(root, '.forgetpw', 'basic-401.xhtml'), minimal('Staff Only'));
    writeFileSync(join(root, '.forgetpw', 'de', 'basic-401.xhtml'), minimal('Nur für Personal', 'de'));
    const p = pages();
    expect(body(p, { ...GERMAN, documentRoot: root })).toContain('<h1>Nur für Personal</h1>');
    expect(body(p, { ...ENGLISH, documentRoot: root })).toContain('<h1>Staff Only</h1>');
  });

  it('keeps the packaged German page beside an English-only override', () => {
    const root = tempDir();
    mkdirSync(join(root, '.forgetpw'));
    writeFileSync(join(root, '.forgetpw', 'basic-401.xhtml'), minimal('Staff Only'));
    const page = pages().page('default_401', VARS, { ...GERMAN, documentRoot: root });
    expect(page.language).toBe('de');
    expect(page.body.toString('utf8')).toContain('Anmelden · Docs');
  });
});

describe('createPages with templates.sites', () => {
  function siteSet(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'de'));
    writeFileSync(join(dir, 'basic-401.xhtml'), minimal('Wiki Log In'));
    writeFileSync(join(dir, 'de', 'basic-401.xhtml'), minimal('Wiki-Anmeldung', 'de'));
    writeFileSync(join(dir, 'email.xhtml'), minimal('Your Wiki Link'));
    return dir;
  }

  it('serves the site its own set and every other site the default one', () => {
    const p = pages({ sites: { 'wiki.example': siteSet() } });
    expect(body(p, { ...ENGLISH, host: 'wiki.example' })).toContain('<h1>Wiki Log In</h1>');
    expect(body(p, { ...GERMAN, host: 'wiki.example' })).toContain('<h1>Wiki-Anmeldung</h1>');
    expect(body(p, { ...ENGLISH, host: 'docs.example.org' })).toContain('<title>Log In · Docs</title>');
    expect(body(p, ENGLISH)).toContain('<title>Log In · Docs</title>');
  });

  it('takes the files a site set lacks from the default set, in the language asked for', () => {
    const p = pages({ sites: { 'wiki.example': siteSet() } });
    const sent = p.page('email_sent', VARS, { ...GERMAN, host: 'wiki.example' });
    expect(sent.language).toBe('de');
    expect(sent.body.toString('utf8')).toContain('Prüfen Sie Ihre E-Mails');
  });

  it("sends the site's own mail, also without templates.site_mail", () => {
    const p = pages({ sites: { 'wiki.example': siteSet() } });
    expect(p.mail(VARS, undefined, 'email', { host: 'wiki.example' }).subject).toBe('Your Wiki Link');
    // No German mail in the site set: the German default one, not the site's English.
    expect(p.mail(VARS, undefined, 'email', { host: 'wiki.example', language: 'de' }).subject).toBe('Anmelden bei Docs');
    expect(p.mail(VARS, undefined, 'email', { host: 'docs.example.org' }).subject).toBe('Log in to Docs');
  });

  it('refuses at start a broken file in a site set, naming the file and the line', () => {
    const dir = siteSet();
    writeFileSync(join(dir, 'de', 'basic-404.xhtml'), '<html xmlns="http://www.w3.org/1999/xhtml">\n<head><title>x</title></head>\n<body><p></body></html>');
    const error = failure(() => pages({ sites: { 'wiki.example': dir } }));
    expect(isAppError(error, 'TEMPLATE_INVALID')).toBe(true);
    expect((error as Error).message).toContain(join(dir, 'de', 'basic-404.xhtml'));
    expect((error as Error).message).toMatch(/line 3, column \d+/);
  });

  it('refuses a site folder that does not exist', () => {
    const error = failure(() => pages({ sites: { 'wiki.example': join(tempDir(), 'nowhere') } }));
    expect(isAppError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('templates.sites.wiki.example');
  });
});
