import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { SITE, startGate, type Gate } from '../flows/harness.js';

/**
 * Issue 10: whoever can write a site's web root could replace the link mail through
 * `$DOCUMENT_ROOT/.forgetpw/email.xhtml` and send every token elsewhere. Pages may be
 * overridden per site; the mail only when `templates.site_mail` says so.
 */
describe.each([
  [false, 'ignores'],
  [true, 'uses'],
] as const)('with templates.site_mail: %s', (allowed, verb) => {
  let g: Gate;
  let docRoot: string;
  beforeAll(async () => {
    docRoot = mkdtempSync(path.join(tmpdir(), 'fp-docroot-'));
    mkdirSync(path.join(docRoot, '.forgetpw'));
    const mail = readFileSync(path.join(packagedFolder('templates'), 'email.xhtml'), 'utf8');
    writeFileSync(
      path.join(docRoot, '.forgetpw', 'email.xhtml'),
      mail.replace(/<title>[\s\S]*?<\/title>/, '<title>Planted by the web root</title>'),
    );
    g = await startGate({ templates: { site_mail: allowed } });
    await g.grant('example.org');
  });
  afterAll(async () => {
    await g.close();
    rmSync(docRoot, { recursive: true, force: true });
  });

  it(`${verb} a per-site mail template`, async () => {
    const res = await g.gate.post(
      '/email-link',
      { email: 'ivy@example.org', forward: `http://${SITE}/` },
      { origin: `http://${SITE}`, extra: { DOCUMENT_ROOT: docRoot } },
    );
    expect(res.status).toBe(303);
    const mail = await g.sink.next('ivy@example.org');
    expect(mail.subject === 'Planted by the web root').toBe(allowed);
  });
});
