import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { extractTemplates } from '../../src/templates/extract.js';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { STATES } from '../../src/templates/states.js';

const ENGLISH_FILES = [...new Set(Object.values(STATES).map((s) => s.file))].sort();
const DEFAULT_FILES = [
  ...ENGLISH_FILES,
  ...ENGLISH_FILES.map((f) => join('de', f)),
  ...ENGLISH_FILES.map((f) => join('fr', f)),
];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fp-extract-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('extractTemplates', () => {
  it('writes every default template into a new folder', async () => {
    const dest = join(tempDir(), 'a', 'b');
    const written = await extractTemplates(dest, { static: false, force: false });
    expect(written).toEqual(DEFAULT_FILES.map((f) => join(dest, f)));
    expect(readdirSync(dest).sort()).toEqual(['de', 'fr', ...ENGLISH_FILES].sort());
    expect(readdirSync(join(dest, 'de')).sort()).toEqual(ENGLISH_FILES);
    for (const file of DEFAULT_FILES) {
      expect(readFileSync(join(dest, file), 'utf8')).toBe(readFileSync(join(packagedFolder('templates'), file), 'utf8'));
    }
  });

  it('writes the static pages with --static', async () => {
    const dest = tempDir();
    await extractTemplates(dest, { static: true, force: false });
    expect(readdirSync(dest).sort()).toEqual([
      'de',
      'fr',
      'logged-out-all.var',
      'logged-out-all.xhtml',
      'logged-out.var',
      'logged-out.xhtml',
    ]);
    expect(readFileSync(join(dest, 'logged-out-all.xhtml'), 'utf8')).toContain('You Are Logged Out Everywhere');
    expect(readFileSync(join(dest, 'de', 'logged-out-all.xhtml'), 'utf8')).toContain('Sie sind überall abgemeldet');
    // No site name given: the pages name none, and keep no placeholder a browser would drop.
    expect(readFileSync(join(dest, 'logged-out.xhtml'), 'utf8')).toContain('<title>You Are Logged Out</title>');
    expect(readFileSync(join(dest, 'logged-out.xhtml'), 'utf8')).not.toContain('<?var');
  });

  it('names the site in the static pages, escaped', async () => {
    const dest = tempDir();
    await extractTemplates(dest, { static: true, force: false, siteName: 'Docs & Co' });
    const page = readFileSync(join(dest, 'logged-out.xhtml'), 'utf8');
    expect(page).toContain('<title>You Are Logged Out · Docs &amp; Co</title>');
    expect(page).toContain('<h1><span class="site">Docs &amp; Co</span> You Are Logged Out</h1>');
    expect(page).not.toContain('<?var');
    expect(readFileSync(join(dest, 'de', 'logged-out.xhtml'), 'utf8')).toContain('<span class="site">Docs &amp; Co</span>');
    expect(readFileSync(join(dest, 'fr', 'logged-out.xhtml'), 'utf8')).toContain('<span class="site">Docs &amp; Co</span>');
    expect(readFileSync(join(dest, 'logged-out-all.xhtml'), 'utf8')).toContain(
      '<title>You Are Logged Out Everywhere · Docs &amp; Co</title>',
    );
  });

  it('refuses to overwrite, lists the files in the way and writes nothing', async () => {
    const dest = tempDir();
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'basic-401.xhtml'), 'mine');
    writeFileSync(join(dest, 'email.xhtml'), 'mine too');
    const error = await extractTemplates(dest, { static: false, force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('USAGE');
    expect((error as AppError).details).toEqual([join(dest, 'basic-401.xhtml'), join(dest, 'email.xhtml')]);
    expect(readFileSync(join(dest, 'basic-401.xhtml'), 'utf8')).toBe('mine');
    expect(existsSync(join(dest, 'throttled.xhtml'))).toBe(false);
  });

  it('overwrites with force', async () => {
    const dest = tempDir();
    writeFileSync(join(dest, 'logged-out.xhtml'), 'mine');
    await extractTemplates(dest, { static: true, force: true });
    expect(readFileSync(join(dest, 'logged-out.xhtml'), 'utf8')).toContain('You are logged out on this browser.');
  });
});
