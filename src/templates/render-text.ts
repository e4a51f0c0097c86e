/**
 * The text/plain variant (pages for curl, the mail's text part), following the
 * original's etc/text-only.xsl: body only; headings on a line of their own (not underlined
 * with # = ~ - as the stylesheet did: a mail reading `#####` looks like a machine's, issue 15);
 * a blank line after each non-empty paragraph; `a[@href]` as `text <href>`;
 * img, object, iframe and form dropped; whitespace normalised per text node.
 * Departures: relative links are resolved against the base so they stay usable
 * outside a browser, and block containers end their line.
 */
import type { Vars } from '../flows/vars.js';
import { xmlSafe } from './escape-xml.js';
import { lookupRows, lookupVar, piVarName, REPEAT_ATTRIBUTE, repeatName, rowVars, substituteAttribute } from './var-reference.js';
import { localName, type XmlDocument, type XmlElement, type XmlNode } from './xml-node.js';

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const DROPPED = new Set(['img', 'object', 'iframe', 'form', 'script', 'style', 'template', 'head']);
const BLOCKS = new Set(['div', 'main', 'section', 'article', 'header', 'footer', 'ul', 'ol', 'blockquote', 'table']);
// The stylesheet's "vertical whitespace" set, plus what \s already covers.
const WHITESPACE = /[\s\u0085]+/g;

interface Context {
  readonly vars: Vars;
  readonly base: string | undefined;
}

export function renderText(doc: XmlDocument, vars: Vars, base: string | undefined): string {
  const body = doc.root.children.find((node) => node.kind === 'element' && localName(node) === 'body');
  if (body?.kind !== 'element') return '';
  const context: Context = { vars, base };
  let out = '';
  for (const child of body.children) if (child.kind === 'element') out += element(child, context);
  return tidy(out);
}

function node(n: XmlNode, context: Context): string {
  switch (n.kind) {
    case 'text':
      return spaced(n.text);
    case 'pi': {
      const name = piVarName(n);
      return name === undefined ? '' : spaced(xmlSafe(lookupVar(context.vars, name) ?? ''));
    }
    case 'comment':
      return '';
    case 'element':
      return element(n, context);
  }
}

function element(el: XmlElement, context: Context): string {
  const repeat = repeatName(el);
  if (repeat !== undefined) {
    const plain = { ...el, attributes: el.attributes.filter(([name]) => name !== REPEAT_ATTRIBUTE) };
    return lookupRows(context.vars, repeat)
      .map((row) => element(plain, { ...context, vars: rowVars(context.vars, row) }))
      .join('');
  }
  const local = localName(el).toLowerCase();
  if (DROPPED.has(local)) return '';
  const inner = (): string => el.children.map((child) => node(child, context)).join('');
  if (HEADINGS.has(local)) {
    const text = collapse(inner());
    return text === '' ? '' : `\n${text}\n\n`;
  }
  if (local === 'p') {
    const text = inner();
    return collapse(text) === '' ? '' : `${text}\n\n`;
  }
  if (local === 'br') return '\n';
  if (local === 'li') return `\n- ${inner()}\n`;
  if (BLOCKS.has(local)) return `${inner()}\n`;
  const href = el.attributes.find(([name]) => name === 'href');
  if (local === 'a' && href !== undefined) {
    const target = resolve(collapse(xmlSafe(substituteAttribute(href[1], context.vars))), context.base);
    return `${inner()} <${target}> `;
  }
  return inner();
}

/** XSLT text(): collapse the inside, keep one space where the node began or ended with one. */
function spaced(text: string): string {
  const core = collapse(text);
  if (core === '') return text === '' ? '' : ' ';
  const lead = /^[\s\u0085]/.test(text) ? ' ' : '';
  const trail = /[\s\u0085]$/.test(text) ? ' ' : '';
  return lead + core + trail;
}

function collapse(text: string): string {
  return text.replace(WHITESPACE, ' ').trim();
}

function resolve(href: string, base: string | undefined): string {
  if (base === undefined || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(href)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

function tidy(text: string): string {
  const lines = text.split('\n').map((line) => line.replace(/ {2,}/g, ' ').trim());
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
