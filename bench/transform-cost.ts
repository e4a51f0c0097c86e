/**
 * What `templates.transform_on: server` costs per page (issue 12): the login page rendered
 * N times as the daemon serves it, without a stylesheet and with the site stylesheet of the
 * tests (test/gem/site-style.ts), after a warm-up. Pages are only served to people who are
 * not logged in; the cookie check never renders one. Run: node --import tsx bench/transform-cost.ts [N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { RenderOptions } from '../src/flows/pages.js';
import { createPages } from '../src/templates/create-pages.js';
import { loadServerTransform } from '../src/templates/server-transform.js';
import { TRANSFORM_XSL } from '../test/gem/site-style.js';

const rounds = Number(process.argv[2] ?? 2000);
const VARS = {
  LOGIN: '/email-link',
  FORWARD: 'https://site.example/page.html',
  DOMAIN: 'site.example',
  EMAIL: '',
};
const BROWSER: RenderOptions = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  documentRoot: undefined,
  base: 'https://site.example/page.html',
};

const dir = mkdtempSync(path.join(tmpdir(), 'fp-transform-bench-'));
try {
  const file = path.join(dir, 'site.xsl');
  writeFileSync(file, TRANSFORM_XSL);
  const log = pino({ level: 'silent' });
  const common = { path: undefined, mapping: {}, transform: undefined, base: undefined, log };
  const plain = createPages(common);
  const server = createPages({ ...common, serverTransform: await loadServerTransform(file) });
  for (const [name, pages] of [
    ['client (no transform by the daemon)', plain],
    ['server (site stylesheet applied)', server],
  ] as const) {
    for (let i = 0; i < Math.min(200, rounds); i++) await pages.serve('default_401', VARS, BROWSER);
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) await pages.serve('default_401', VARS, BROWSER);
    const perPage = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
    console.log(`${name}: ${perPage.toFixed(3)} ms per login page (${rounds} pages)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
