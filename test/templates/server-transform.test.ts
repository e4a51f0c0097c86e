import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import type { RenderOptions } from '../../src/flows/pages.js';
import { createPages } from '../../src/templates/create-pages.js';
import { loadServerTransform } from '../../src/templates/server-transform.js';
import { TRANSFORM_XSL } from '../gem/site-style.js';
import { tempFolder } from '../support/temp-folder.js';

const BROWSER: RenderOptions = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  documentRoot: undefined,
  base: 'https://site.example/page.html',
};
const VARS = { LOGIN: '/email-link', FORWARD: 'https://site.example/page.html', DOMAIN: 'site.example', EMAIL: '' };

function stylesheet(text: string): string {
  const file = path.join(tempFolder('fp-xsl-'), 'site.xsl');
  writeFileSync(file, text);
  return file;
}

async function refusal(file: string): Promise<{ code: string; message: string }> {
  try {
    await loadServerTransform(file);
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected ${file} to be refused`);
}

async function serverPages() {
  const serverTransform = await loadServerTransform(stylesheet(TRANSFORM_XSL));
  return createPages({
    path: undefined,
    mapping: {},
    transform: undefined,
    serverTransform,
    base: undefined,
    log: pino({ level: 'silent' }),
  });
}

describe('templates.transform_on: server', () => {
  it('serves the transformed page as HTML, without an xml-stylesheet instruction', async () => {
    const page = await (await serverPages()).serve('default_401', VARS, BROWSER);
    const html = page.body.toString('utf8');
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html/);
    expect(html).not.toContain('<?xml');
    expect(html).toContain('<div id="site-banner">Example Site</div>');
    expect(html).toContain('<link rel="stylesheet" href="/style/site.css">');
    expect(html).toContain('<form method="post" action="/email-link"');
    // HTML syntax: void elements unclosed, never `<input></input>` or `<input/>`.
    expect(html).toMatch(/<input type="hidden" name="forward" value="https:\/\/site.example\/page.html">/);
    expect(html).not.toContain('</input>');
  });

  it('keeps every value escaped through the stylesheet', async () => {
    const hostile = '<script>alert(1)</script>"\'&lt;';
    const page = await (await serverPages()).serve(
      'email_bad',
      { ...VARS, EMAIL: hostile, FORWARD: `https://site.example/"><script>x</script>` },
      BROWSER,
    );
    const html = page.body.toString('utf8');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('value="https://site.example/&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });

  it('keeps values exactly and the spaces between inline elements', async () => {
    const page = await (await serverPages()).serve('email_bad', { ...VARS, EMAIL: 'a&amp;b' }, BROWSER);
    const html = page.body.toString('utf8');
    // Shown as the person typed it: `a&amp;b`, not `a&b`.
    expect(html).toContain('value="a&amp;amp;b"');
    expect(html).toMatch(/<\/label>\s+<input type="email"/);
  });

  it('renders twenty pages at once, each with its own values', async () => {
    const pages = await serverPages();
    const bodies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pages.serve('email_bad', { ...VARS, EMAIL: `user${i}@example.org` }, BROWSER),
      ),
    );
    bodies.forEach((page, i) => {
      const html = page.body.toString('utf8');
      expect(html).toContain(`user${i}@example.org`);
      expect(html.match(/user\d+@example\.org/g)?.every((found) => found === `user${i}@example.org`)).toBe(true);
    });
  });

  it('answers text/plain from the template, as without a stylesheet', async () => {
    const page = await (await serverPages()).serve('default_401', VARS, { ...BROWSER, accept: 'text/plain' });
    expect(page.contentType).toBe('text/plain; charset=utf-8');
    expect(page.body.toString('utf8')).not.toContain('Example Site');
  });

  it('refuses a missing stylesheet, naming the file and what the setting means', async () => {
    const file = path.join(tempFolder('fp-xsl-'), 'style', 'transform.xsl');
    const error = await refusal(file);
    expect(error.code).toBe('TEMPLATE_MISSING');
    expect(error.message).toContain(file);
    expect(error.message).toContain('a file on this machine, not a URL path');
  });

  it('refuses a stylesheet that is not well-formed, naming the file and the line', async () => {
    const file = stylesheet(TRANSFORM_XSL.replace('</xsl:template>', ''));
    const error = await refusal(file);
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toMatch(new RegExp(`^stylesheet ${file} \\(templates.transform\\): line \\d+`));
  });

  it('refuses XML that is not a stylesheet, and a stylesheet that fails on a page', async () => {
    expect((await refusal(stylesheet('<html xmlns="http://www.w3.org/1999/xhtml"/>'))).message).toContain(
      'the root element must be <xsl:stylesheet',
    );
    const broken = TRANSFORM_XSL.replace('select="/h:html/h:head/h:title"', 'select="(("');
    expect((await refusal(stylesheet(broken))).message).toContain('fails on a sample page');
  });

  it('refuses a stylesheet that could put the environment (its passwords) into pages', async () => {
    const reading = (expression: string) =>
      TRANSFORM_XSL.replace('select="/h:html/h:head/h:title"', `select="${expression}"`);
    for (const expression of [
      "environment-variable('FORGETPW_DB_PASSWORD')",
      'string-join(available-environment-variables(), \' \')',
      "fn:environment&#45;variable('HOME')",
    ]) {
      expect((await refusal(stylesheet(reading(expression)))).message).toContain(
        'environment-variable() is not allowed',
      );
    }
    const evaluating = TRANSFORM_XSL.replace(
      '<xsl:value-of select="/h:html/h:head/h:title"/>',
      '<t:evaluate xmlns:t="http://www.w3.org/1999/XSL/Transform" xpath="concat(\'environment-\', \'variable\')"/>',
    );
    expect((await refusal(stylesheet(evaluating))).message).toContain('xsl:evaluate is not allowed');
  });

  it('follows no xsl:import: the daemon reads no file but the stylesheet', async () => {
    const importing = TRANSFORM_XSL.replace(
      '<xsl:output',
      '<xsl:import href="https://attacker.example/x.xsl"/><xsl:output',
    );
    expect((await refusal(stylesheet(importing))).message).toContain('the daemon loads no other files');
  });
});
