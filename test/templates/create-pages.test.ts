import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import type { RenderOptions } from '../../src/flows/pages.js';
import { createPages, type LoadedPages, type PagesOptions } from '../../src/templates/create-pages.js';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { STATE_NAMES, type StateName } from '../../src/templates/states.js';
import { attribute, elements, textOf, wellFormed } from './xml-query.js';

// A realistic worst case: 300 characters, many of them needing escapes.
const FORWARD = `https://docs.example.org/library/handbook?topic=${'a&b="c"'.repeat(60)}`.slice(0, 300);
const KNOCK_URL = `${FORWARD}&knock=${'K'.repeat(43)}`;
const VARS = {
  LOGIN: '/email-link',
  FORWARD,
  EMAIL: 'alice.smith@example.org',
  DOMAIN: 'docs.example.org',
  FROM: 'Docs Gate <gate@docs.example.org>',
  KNOCK: 'K'.repeat(43),
  RETRY_AFTER: '15 minutes',
  URL: FORWARD,
  PRETTY_URL: 'docs.example.org/library/handbook',
  KNOCK_URL,
  EXPIRES: '2026-11-22 14:05 UTC',
};
/** The account area's pages: their forms post to the account target (SPEC §10). */
const ACCOUNT_FORM_STATES: StateName[] = ['account', 'reveal_confirm'];
/** Pages with more than one form: the code form, and send-again (whose address can be corrected). */
const FORM_COUNT: Partial<Record<StateName, number>> = { email_sent: 2, code_wrong: 2 };
const XHTML: RenderOptions = { accept: '', documentRoot: undefined, base: `${FORWARD}&x` };
const FORM_STATES: StateName[] = [
  'default_401',
  'default_409',
  'knock_bad',
  'knock_not_found',
  'knock_expired',
  'knock_confirm',
  'knock_invite',
  'cookie_bad',
  'cookie_not_found',
  'cookie_expired',
  'email_bad',
  'email_not_listed',
  'email_failed',
  'email_sent',
  'code_wrong',
  'code_ended',
  'code_none',
  'cross_site',
  'body_too_large',
];

function silent(): Logger {
  return pino({ level: 'silent' });
}

function capture(): { log: Logger; events: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { log, events: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function pages(options: Partial<PagesOptions> = {}): LoadedPages {
  return createPages({ path: undefined, mapping: {}, transform: undefined, base: undefined, log: silent(), ...options });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fp-templates-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the packaged templates the test may break. */
function templateCopy(): string {
  const dir = tempDir();
  cpSync(packagedFolder('templates'), dir, { recursive: true });
  return dir;
}

function minimal(title: string, body = `<h1>${title}</h1>`): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head><body>${body}</body></html>\n`;
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('createPages page()', () => {
  it.each(STATE_NAMES)('renders %s under 7 KiB as well-formed XHTML, HTML and text', (state) => {
    const p = pages();
    const xhtml = p.page(state, VARS, XHTML).body;
    wellFormed(xhtml.toString('utf8'));
    expect(xhtml.length).toBeLessThan(7 * 1024);
    expect(p.page(state, VARS, { ...XHTML, accept: 'text/html' }).body.length).toBeLessThan(7 * 1024);
    expect(p.page(state, VARS, { ...XHTML, accept: 'text/plain' }).body.length).toBeLessThan(7 * 1024);
  });

  it.each(STATE_NAMES)('gives %s an <h1> that repeats its <title>', (state) => {
    const root = wellFormed(pages().page(state, VARS, XHTML).body.toString('utf8'));
    const [title] = elements(root, 'title');
    const [h1] = elements(root, 'h1');
    // The title reads "Heading · SITE" (tabs); the heading puts the site above itself, in the same words.
    const words = (text: string): string[] => text.split(/[\s·]+/).filter((w) => w !== '').sort();
    expect(words(textOf(h1!))).toEqual(words(textOf(title!)));
  });

  it.each(STATE_NAMES.filter((s) => !ACCOUNT_FORM_STATES.includes(s)))('makes every form of %s post to LOGIN with the FORWARD', (state) => {
    const root = wellFormed(pages().page(state, VARS, XHTML).body.toString('utf8'));
    const forms = elements(root, 'form');
    expect(forms.length).toBe(FORM_STATES.includes(state) ? (FORM_COUNT[state] ?? 1) : 0);
    for (const form of forms) {
      expect(attribute(form, 'method')).toBe('post');
      expect(attribute(form, 'action')).toBe('/email-link');
      const forward = elements(form, 'input').filter((i) => attribute(i, 'name') === 'forward');
      expect(forward.map((i) => [attribute(i, 'type'), attribute(i, 'value')])).toEqual([['hidden', FORWARD]]);
      expect(elements(form, 'button').map((b) => attribute(b, 'type'))).toEqual(['submit']);
    }
  });

  it.each(ACCOUNT_FORM_STATES)('makes every form of %s post to ACCOUNT (or LOGOUT) with a submit button', (state) => {
    const vars = { ...VARS, ACCOUNT: '/account', LOGOUT: '/logout', OTHER_SESSIONS: [{}], PASSWORDS: [{ ID: 'abc' }] };
    const root = wellFormed(pages().page(state, vars, XHTML).body.toString('utf8'));
    const forms = elements(root, 'form');
    expect(forms.length).toBeGreaterThan(0);
    for (const form of forms) {
      expect(attribute(form, 'method')).toBe('post');
      expect(['/account', '/logout']).toContain(attribute(form, 'action'));
      expect(elements(form, 'button').map((b) => attribute(b, 'type'))).toEqual(['submit']);
    }
  });

  // A revoked person (no_user) gets no form: asking again cannot help (issue 15).
  it.each(FORM_STATES.filter((s) => !['knock_confirm', 'knock_invite', 'email_sent', 'code_wrong'].includes(s)))('asks %s for a required e-mail address', (state) => {
    const root = wellFormed(pages().page(state, VARS, XHTML).body.toString('utf8'));
    const [email] = elements(root, 'input').filter((i) => attribute(i, 'name') === 'email');
    expect([attribute(email!, 'type'), attribute(email!, 'required'), attribute(email!, 'autocomplete')]).toEqual([
      'email',
      'required',
      'email',
    ]);
    expect(elements(root, 'button').map(textOf)).toHaveLength(1);
    expect(['Send me a link', 'Send me a fresh link', 'Try again', 'Send me a link and code', 'Send me a new link and code']).toContain(
      textOf(elements(root, 'button')[0]!),
    );
  });

  it('confirms a link with one button posting the knock, naming the site and the address', () => {
    const root = wellFormed(pages().page('knock_confirm', VARS, XHTML).body.toString('utf8'));
    const [form] = elements(root, 'form');
    const hidden = elements(form!, 'input').map((i) => [attribute(i, 'type'), attribute(i, 'name'), attribute(i, 'value')]);
    expect(hidden).toEqual([
      ['hidden', 'knock', VARS.KNOCK],
      ['hidden', 'forward', FORWARD],
    ]);
    expect(elements(root, 'button').map(textOf)).toEqual(['Log in to docs.example.org']);
    expect(textOf(elements(root, 'main')[0]!)).toContain('alice.smith@example.org');
  });

  it('shows a rejected address escaped', () => {
    const email = '<b onmouseover="x">&amp;</b>@"example"';
    const out = pages().page('email_bad', { ...VARS, EMAIL: email }, XHTML).body.toString('utf8');
    const strong = elements(wellFormed(out), 'strong').map(textOf);
    expect(strong).toContain(email);
    expect(out).not.toContain('<b ');
  });

  it('tells a throttled person how long to wait', () => {
    const out = pages().page('throttled', VARS, { ...XHTML, accept: 'text/plain' }).body.toString('utf8');
    expect(out).toContain('Please wait 15 minutes and try again.');
  });

  it('says where the link went, where it leads and until when', () => {
    const out = pages().page('email_sent', VARS, { ...XHTML, accept: 'text/plain' }).body.toString('utf8');
    expect(out).toContain('We sent a link and a code to alice.smith@example.org from Docs Gate <gate@docs.example.org>.');
    expect(out).toContain('(until 2026-11-22 14:05 UTC)');
    expect(out).toContain(FORWARD);
  });

  it.each(['email_sent', 'code_wrong'] as const)(
    'gives %s a code field, a send-again button and a pre-filled wrong-address form (issue 15)',
    (state) => {
      const root = wellFormed(pages().page(state, VARS, XHTML).body.toString('utf8'));
      const inputs = elements(root, 'input').map((i) => [attribute(i, 'type'), attribute(i, 'name'), attribute(i, 'value')]);
      const [code] = elements(root, 'input').filter((i) => attribute(i, 'name') === 'code');
      expect(attribute(code!, 'autocomplete')).toBe('one-time-code');
      expect(attribute(code!, 'required')).toBe('required');
      // One field, pre-filled: sent as it is, it sends again; opened under "Wrong address?", corrected.
      expect(inputs.filter(([, name]) => name === 'email')).toEqual([['email', 'email', VARS.EMAIL]]);
      const [details] = elements(root, 'details');
      expect(textOf(elements(details!, 'summary')[0]!)).toBe('Wrong address?');
      expect(elements(details!, 'input').map((i) => attribute(i, 'name'))).toEqual(['email']);
    },
  );

  it('tells how many tries a wrong code leaves', () => {
    const out = pages().page('code_wrong', { ...VARS, TRIES_LEFT: '2 more tries' }, { ...XHTML, accept: 'text/plain' });
    expect(out.body.toString('utf8')).toContain('You have 2 more tries;');
  });

  it.each([
    ['', 'application/xhtml+xml; charset=utf-8', '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html'],
    ['text/html', 'text/html; charset=utf-8', '<!DOCTYPE html>\n<html'],
    ['text/plain', 'text/plain; charset=utf-8', 'docs.example.org Log In\n\n'],
  ])('serves Accept %j as %s', (accept, contentType, start) => {
    const page = pages().page('default_401', VARS, { ...XHTML, accept });
    expect(page.contentType).toBe(contentType);
    expect(page.body.toString('utf8').startsWith(start)).toBe(true);
  });

  it('sets <base href> from the request, else from templates.base', () => {
    const p = pages({ base: 'https://fallback.example/' });
    const own = p.page('default_404', VARS, { ...XHTML, base: 'https://docs.example.org/x' }).body.toString('utf8');
    expect(own).toContain('<base href="https://docs.example.org/x"/>');
    const fallback = p.page('default_404', VARS, { ...XHTML, base: undefined }).body.toString('utf8');
    expect(fallback).toContain('<base href="https://fallback.example/"/>');
    expect(pages().page('default_404', VARS, { ...XHTML, base: undefined }).body.toString('utf8')).not.toContain('<base');
  });

  it('adds the transform instruction to XHTML pages only', () => {
    const p = pages({ transform: 'https://docs.example.org/t.xsl' });
    const pi = '<?xml-stylesheet href="https://docs.example.org/t.xsl" type="text/xsl"?>';
    expect(p.page('default_401', VARS, XHTML).body.toString('utf8')).toContain(pi);
    expect(p.page('default_401', VARS, { ...XHTML, accept: 'text/html' }).body.toString('utf8')).not.toContain('xml-stylesheet');
    expect(p.mail(VARS, undefined).html).not.toContain('xml-stylesheet');
  });

  it('uses a mapped file for a state', () => {
    const dir = templateCopy();
    writeFileSync(join(dir, 'custom-401.xhtml'), minimal('Members Only'));
    const p = pages({ path: dir, mapping: { default_401: 'custom-401.xhtml' } });
    expect(p.page('default_401', VARS, XHTML).body.toString('utf8')).toContain('<h1>Members Only</h1>');
    expect(p.page('cookie_expired', VARS, XHTML).body.toString('utf8')).toContain('Your Session Has Run Out');
  });
});

describe('createPages templates.mapping paths', () => {
  it('takes a mapped file in a sub-folder of templates.path, or at an absolute path', () => {
    const dir = templateCopy();
    const elsewhere = tempDir();
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'members.xhtml'), minimal('Members Only'));
    writeFileSync(join(elsewhere, 'gone.xhtml'), minimal('Not Here'));
    const p = pages({
      path: dir,
      mapping: { default_401: 'site/members.xhtml', default_404: join(elsewhere, 'gone.xhtml') },
    });
    expect(p.page('default_401', VARS, XHTML).body.toString('utf8')).toContain('<h1>Members Only</h1>');
    expect(p.page('default_404', VARS, XHTML).body.toString('utf8')).toContain('<h1>Not Here</h1>');
  });
});

describe('createPages mail()', () => {
  it('takes the subject from the title', () => {
    expect(pages().mail(VARS, undefined).subject).toBe('Log in to docs.example.org');
  });

  it('cannot put a line break in the subject', () => {
    const subject = pages().mail({ ...VARS, DOMAIN: 'x.example\r\nBcc: victim@example.org\n' }, undefined).subject;
    expect(subject).toBe('Log in to x.example Bcc: victim@example.org');
  });

  it('shows the link as text <url> in the text part, with the expiry and the warning', () => {
    const text = pages().mail({ ...VARS, EXPIRES_IN: '10 minutes', CODE: 'K7QM-4XPD' }, undefined).text;
    expect(text).toContain(`Log in to docs.example.org <${KNOCK_URL}>`);
    expect(text).toContain('Use this link or the code below within 10 minutes (by 2026-11-22 14:05 UTC); either works once.');
    // The one-time code for another device (SPEC §11), on a line of its own.
    expect(text).toMatch(/\nK7QM-4XPD\n/);
    expect(text).toContain('If you did not ask for this, you can ignore this mail');
    // No `#####` under the heading: a mail that looks like a machine's is not trusted (issue 15).
    expect(text.startsWith('Log in to docs.example.org\n\nYou asked')).toBe(true);
    expect(text).not.toContain('##');
  });

  it('serialises the HTML part as HTML with the link', () => {
    const html = pages().mail(VARS, undefined).html;
    expect(html.startsWith('<!DOCTYPE html>\n<html')).toBe(true);
    expect(html).toContain(`<a href="${KNOCK_URL.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
  });

  it('uses templates.base in the mail', () => {
    expect(pages({ base: 'https://docs.example.org/' }).mail(VARS, undefined).html).toContain(
      '<base href="https://docs.example.org/">',
    );
  });
});

describe('createPages per-site overrides', () => {
  function site(): { root: string; file: (name: string) => string } {
    const root = tempDir();
    mkdirSync(join(root, '.forgetpw'));
    return { root, file: (name) => join(root, '.forgetpw', name) };
  }

  it('uses $DOCUMENT_ROOT/.forgetpw/<file> when present, the default otherwise', () => {
    const { root, file } = site();
    writeFileSync(file('basic-401.xhtml'), minimal('Staff Only'));
    const p = pages();
    const options = { ...XHTML, documentRoot: root };
    expect(p.page('default_401', VARS, options).body.toString('utf8')).toContain('<h1>Staff Only</h1>');
    expect(p.page('cookie_expired', VARS, options).body.toString('utf8')).toContain('Your Session Has Run Out');
    expect(p.page('default_401', VARS, XHTML).body.toString('utf8')).toContain('Log In</h1>');
  });

  it('re-reads an override when it changes and drops it when it goes', () => {
    const { root, file } = site();
    const options = { ...XHTML, documentRoot: root };
    const p = pages();
    writeFileSync(file('basic-401.xhtml'), minimal('First'));
    expect(p.page('default_401', VARS, options).body.toString('utf8')).toContain('<h1>First</h1>');
    writeFileSync(file('basic-401.xhtml'), minimal('Second'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(file('basic-401.xhtml'), later, later);
    expect(p.page('default_401', VARS, options).body.toString('utf8')).toContain('<h1>Second</h1>');
    unlinkSync(file('basic-401.xhtml'));
    expect(p.page('default_401', VARS, options).body.toString('utf8')).toContain('Log In</h1>');
  });

  it('falls back to the default and logs a warning when an override is broken', () => {
    const { root, file } = site();
    writeFileSync(file('basic-401.xhtml'), '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>');
    const { log, events } = capture();
    const p = pages({ log });
    const page = p.page('default_401', VARS, { ...XHTML, documentRoot: root });
    expect(page.body.toString('utf8')).toContain('Log In</h1>');
    p.page('default_401', VARS, { ...XHTML, documentRoot: root });
    const warnings = events().filter((e) => e['event'] === 'template-override-invalid');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!['file']).toBe(file('basic-401.xhtml'));
    expect(warnings[0]!['level']).toBe(40);
  });

  it('uses an override for the mail too', () => {
    const { root, file } = site();
    writeFileSync(file('email.xhtml'), minimal('Your Docs Link for <?var $DOMAIN?>', '<p><a href="$KNOCK_URL">Go</a></p>'));
    const mail = pages().mail(VARS, root);
    expect(mail.subject).toBe('Your Docs Link for docs.example.org');
    expect(mail.text).toBe(`Go <${KNOCK_URL}>\n`);
  });
});

describe('createPages at start', () => {
  it('loads the packaged templates when no path is given', () => {
    expect(pages().page('default_404', VARS, XHTML).body.toString('utf8')).toContain('Page Not Found</h1>');
  });

  it('takes the packaged file for a state whose file the folder lacks, and says so', () => {
    const dir = templateCopy();
    unlinkSync(join(dir, 'throttled.xhtml'));
    writeFileSync(join(dir, 'basic-404.xhtml'), minimal('Our Own Not Found', '<p>gone</p>'));
    const loaded = pages({ path: dir });
    expect(loaded.fallbacks).toEqual(['throttled.xhtml']);
    const body = (state: 'throttled' | 'default_404') =>
      loaded.page(state, {}, { accept: 'text/html', documentRoot: undefined, base: undefined }).body.toString();
    expect(body('throttled')).toContain('Too Many Attempts');
    expect(body('default_404')).toContain('Our Own Not Found');
  });

  it('fails with TEMPLATE_MISSING naming a mapped file that does not exist', () => {
    const error = failure(() => pages({ mapping: { default_401: 'nowhere.xhtml' } }));
    expect(isAppError(error, 'TEMPLATE_MISSING')).toBe(true);
    expect((error as Error).message).toContain('nowhere.xhtml');
  });

  it('fails with TEMPLATE_INVALID naming the file and the line of the problem', () => {
    const dir = templateCopy();
    writeFileSync(join(dir, 'basic-404.xhtml'), minimal('Not Found', '<p>one\n<br>two</p>'));
    const error = failure(() => pages({ path: dir }));
    expect(isAppError(error, 'TEMPLATE_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/basic-404\.xhtml: line 3, column \d+: <\/p> does not close <br>/);
  });

  it.each([
    ['a root that is not XHTML', '<html><head><title>x</title></head><body/></html>', /root element must be <html xmlns=/],
    ['no title', '<html xmlns="http://www.w3.org/1999/xhtml"><head/><body/></html>', /needs a <title>/],
    ['bytes that are not UTF-8', '<html>\u00ff</html>', /not valid UTF-8/],
  ])('fails with TEMPLATE_INVALID for %s', (_what, source, message) => {
    const dir = templateCopy();
    writeFileSync(join(dir, 'email.xhtml'), source, source.includes('\u00ff') ? 'latin1' : 'utf8');
    const error = failure(() => pages({ path: dir }));
    expect(isAppError(error, 'TEMPLATE_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a mapping for a state that does not exist', () => {
    const error = failure(() => pages({ mapping: { default_402: 'x.xhtml' } }));
    expect(isAppError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as { details: string[] }).details[0]).toMatch(/^templates\.mapping\.default_402: not a state/);
  });
});
