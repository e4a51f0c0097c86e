import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { SITE, startGate, type Gate } from './harness.js';

const ALICE = 'alice@example.org';
const GERMAN = { origin: `http://${SITE}`, extra: { HTTP_ACCEPT_LANGUAGE: 'de-AT,de;q=0.9,en;q=0.5' } };

/** The link token as the mail carries it. */
function tokenIn(html: string): string {
  const token = /knock=([A-Za-z0-9_-]+)/.exec(html)?.[1];
  if (token === undefined) throw new Error('no link in the mail');
  return token;
}

describe('pages and mail in the reader’s language', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ limits: { email_per_address: 3, window: 'PT1H' } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('answers a German browser in German, with Content-Language and Vary', async () => {
    const res = await g.gate.authorize('/page.html', { extra: GERMAN.extra });
    expect(res.status).toBe(401);
    expect(res.body).toContain('<html xmlns="http://www.w3.org/1999/xhtml" lang="de" xml:lang="de">');
    expect(res.body).toContain('Ihre E-Mail-Adresse');
    expect(res.header('Content-Language')).toBe('de');
    expect(res.header('Vary')).toContain('Accept-Language');
  });

  it('answers English to a browser asking for a language it does not have, and to none', async () => {
    for (const extra of [{ HTTP_ACCEPT_LANGUAGE: 'es-ES,es;q=0.9' }, {}]) {
      const res = await g.gate.authorize('/page.html', { extra });
      expect(res.body).toContain('lang="en"');
      expect(res.header('Content-Language')).toBe('en');
    }
  });

  it('answers a French browser in French', async () => {
    const res = await g.gate.authorize('/page.html', { extra: { HTTP_ACCEPT_LANGUAGE: 'fr-CA,fr;q=0.9' } });
    expect(res.header('Content-Language')).toBe('fr');
    expect(res.body).toContain('<title>Connexion · site.example</title>');
  });

  it('mails a German browser in German and remembers the language with the link', async () => {
    const posted = await g.gate.post(
      '/email-link',
      { email: ALICE, forward: `http://${SITE}/page.html` },
      GERMAN,
    );
    expect(posted.status, posted.body).toBe(303);
    // The sent page is the GET the 303 leads to: worded in the language that GET asks for.
    const sent = await g.gate.followSent(posted, { extra: GERMAN.extra });
    expect(sent.status, sent.body).toBe(200);
    expect(sent.header('Content-Language')).toBe('de');
    expect(sent.body).toContain('Prüfen Sie Ihre E-Mails');
    expect(sent.body).toContain(
      'Beide sind <strong>10 Minuten</strong> lang gültig (bis 22.11.2026, 12:10 UTC)',
    );
    expect(sent.body).toContain('Sie können innerhalb von 1 Stunde bis zu 3 Links anfordern.');
    expect(sent.body).toContain('Falsche Adresse?');
    const mail = await g.sink.next(ALICE);
    expect(mail.subject).toBe(`Anmelden bei ${SITE}`);
    expect(mail.text).toContain(
      'Dieser Link und der Code unten sind 10 Minuten lang gültig (bis 22.11.2026, 12:10 UTC)',
    );
    expect(mail.text).toMatch(/im selben Browser:\s+[A-Z0-9]{4}-[A-Z0-9]{4}/);
    const row = await g.daemon.daemon.store.tokens.get(hashSecret(tokenIn(mail.html)));
    expect(row?.language).toBe('de');

    // A wrong code gets the German wrong-code page, with the tries left counted in German.
    const wrong = await g.gate.post(
      '/email-link',
      { code: 'AAAA-AAAA', forward: `http://${SITE}/page.html` },
      { ...GERMAN, cookie: `forgetpw_link=${posted.cookie('forgetpw_link')!}` },
    );
    expect(wrong.header('Content-Language')).toBe('de');
    expect(wrong.body).toContain('Dieser Code stimmt nicht');
    expect(wrong.body).toContain('Sie haben noch <strong>4 Versuche</strong>');
  });

  it('says in German that no login is waiting for a browser without a request', async () => {
    const res = await g.gate.request('GET', '/email-link?sent=1', { extra: GERMAN.extra });
    expect(res.header('Content-Language')).toBe('de');
    expect(res.body).toContain('Hier wartet keine Anmeldung');
  });

  it('mails an English browser in English', async () => {
    const english = { origin: `http://${SITE}`, extra: { HTTP_ACCEPT_LANGUAGE: 'en-GB' } };
    const posted = await g.gate.post(
      '/email-link',
      { email: 'bob@example.org', forward: `http://${SITE}/page.html` },
      english,
    );
    const sent = await g.gate.followSent(posted, { extra: english.extra });
    expect(sent.body).toContain('Check Your E-Mail');
    const mail = await g.sink.next('bob@example.org');
    expect(mail.subject).toBe(`Log in to ${SITE}`);
    expect(mail.text).toContain('(by 2026-11-22 12:10 UTC)');
    expect((await g.daemon.daemon.store.tokens.get(hashSecret(tokenIn(mail.html))))?.language).toBe('en');
  });
});
