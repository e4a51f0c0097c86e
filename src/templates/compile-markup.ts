/**
 * Precompiles a parsed template into segments for one markup serialisation:
 * - `xhtml`: XML declaration, optional xml-stylesheet PI (`templates.transform`),
 *   `<!DOCTYPE html>`, empty void elements as `<x/>`, other empty ones as `<x></x>`;
 * - `html`: HTML5 syntax, no XML declaration and no processing instructions, void
 *   elements unclosed, style/script as raw text.
 * `<base href>` (ORIGINAL.md §6 step 2) replaces the template's own base, or is
 * inserted right after the head's title (else at the start of the head).
 */
import { escapeAttribute, escapeRawText, escapeText } from './escape-xml.js';
import type { Segment } from './segments.js';
import { ATTRIBUTE_VAR, piVarName, REPEAT_ATTRIBUTE, repeatName } from './var-reference.js';
import { localName, type XmlDocument, type XmlElement, type XmlNode } from './xml-node.js';

export type MarkupMode = 'xhtml' | 'html';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['style', 'script']);

export function compileMarkup(doc: XmlDocument, mode: MarkupMode, transform: string | undefined): Segment[] {
  const out: Segment[] = [];
  if (mode === 'xhtml') {
    push(out, '<?xml version="1.0" encoding="utf-8"?>\n');
    if (transform !== undefined) {
      push(out, `<?xml-stylesheet href="${escapeAttribute(transform)}" type="text/xsl"?>\n`);
    }
  }
  for (const node of doc.prolog) {
    if (node.kind === 'pi') {
      const replaced = transform !== undefined && node.target === 'xml-stylesheet';
      if (mode === 'html' || replaced || piVarName(node) !== undefined) continue;
    }
    compileNode(node, out, mode, false);
    push(out, '\n');
  }
  push(out, '<!DOCTYPE html>\n');
  compileElement(doc.root, out, mode, true);
  push(out, '\n');
  return out;
}

function compileNode(node: XmlNode, out: Segment[], mode: MarkupMode, raw: boolean): void {
  switch (node.kind) {
    case 'element':
      compileElement(node, out, mode, false);
      break;
    case 'text':
      push(out, raw ? escapeRawText(node.text) : escapeText(node.text));
      break;
    case 'pi': {
      const name = piVarName(node);
      if (name !== undefined) push(out, { kind: 'text', name, raw });
      else if (mode === 'xhtml') push(out, `<?${node.target}${node.data === '' ? '' : ' '}${node.data}?>`);
      break;
    }
    case 'comment':
      if (!raw) push(out, `<!--${node.text}-->`);
      break;
  }
}

function compileElement(element: XmlElement, out: Segment[], mode: MarkupMode, isRoot: boolean): void {
  const repeat = isRoot ? undefined : repeatName(element);
  if (repeat !== undefined) {
    // A whole element per row: whatever the rows hold, the markup stays balanced.
    const body: Segment[] = [];
    const attributes = element.attributes.filter(([name]) => name !== REPEAT_ATTRIBUTE);
    compileElement({ ...element, attributes }, body, mode, false);
    out.push({ kind: 'repeat', name: repeat, body });
    return;
  }
  const local = localName(element);
  const isVoid = VOID.has(local);
  push(out, `<${element.name}`);
  compileAttributes(element.attributes, out);
  if (mode === 'html' && isVoid) {
    push(out, '>');
    return;
  }
  if (element.children.length === 0) {
    push(out, isVoid ? '/>' : `></${element.name}>`);
    return;
  }
  push(out, '>');
  const raw = mode === 'html' && RAW_TEXT.has(local);
  if (isRoot) {
    for (const child of element.children) {
      if (child.kind === 'element' && localName(child) === 'head') compileHead(child, out, mode);
      else compileNode(child, out, mode, raw);
    }
  } else {
    for (const child of element.children) compileNode(child, out, mode, raw);
  }
  push(out, `</${element.name}>`);
}

function compileHead(head: XmlElement, out: Segment[], mode: MarkupMode): void {
  const isElement = (name: string) => (node: XmlNode) => node.kind === 'element' && localName(node) === name;
  const children = head.children;
  const baseAt = children.findIndex(isElement('base'));
  // Where a new <base> goes when the template has none: after the title, or first (-1).
  const insertAfter = baseAt >= 0 ? undefined : children.findIndex(isElement('title'));
  const close = mode === 'xhtml' ? '/>' : '>';
  const inserted: Segment = { kind: 'base', before: ['<base href="'], after: [`"${close}`], fallback: [] };
  push(out, `<${head.name}`);
  compileAttributes(head.attributes, out);
  push(out, '>');
  if (insertAfter === -1) out.push(inserted);
  children.forEach((child, index) => {
    if (index === baseAt && child.kind === 'element') out.push(existingBase(child, mode, close));
    else compileNode(child, out, mode, false);
    if (index === insertAfter) out.push(inserted);
  });
  push(out, `</${head.name}>`);
}

/** The template's own `<base>`: kept when no base is given, its href replaced otherwise. */
function existingBase(base: XmlElement, mode: MarkupMode, close: string): Segment {
  const fallback: Segment[] = [];
  compileElement(base, fallback, mode, false);
  const hrefAt = base.attributes.findIndex(([name]) => name === 'href');
  const beforeAttributes = hrefAt < 0 ? base.attributes : base.attributes.slice(0, hrefAt);
  const afterAttributes = hrefAt < 0 ? [] : base.attributes.slice(hrefAt + 1);
  const before: Segment[] = [`<${base.name}`];
  compileAttributes(beforeAttributes, before);
  push(before, ' href="');
  const after: Segment[] = ['"'];
  compileAttributes(afterAttributes, after);
  push(after, close);
  return { kind: 'base', before, after, fallback };
}

function compileAttributes(attributes: XmlElement['attributes'], out: Segment[]): void {
  for (const [name, value] of attributes) {
    push(out, ` ${name}="`);
    let last = 0;
    for (const match of value.matchAll(ATTRIBUTE_VAR)) {
      push(out, escapeAttribute(value.slice(last, match.index)));
      push(out, { kind: 'attribute', name: match[1]!, literal: escapeAttribute(match[0]) });
      last = match.index + match[0].length;
    }
    push(out, `${escapeAttribute(value.slice(last))}"`);
  }
}

/** Appends, merging adjacent literals so rendering touches as few segments as possible. */
function push(out: Segment[], segment: Segment): void {
  const last = out[out.length - 1];
  if (typeof segment === 'string' && typeof last === 'string') out[out.length - 1] = last + segment;
  else out.push(segment);
}
