/**
 * A template ready to render: both markup serialisations precompiled into
 * segments at load; the text variant walks the tree (its layout depends on the
 * values: heading underlines, collapsed whitespace) and is rarely asked for.
 */
import type { Vars } from '../flows/vars.js';
import { compileMarkup } from './compile-markup.js';
import { xmlSafe } from './escape-xml.js';
import type { Variant } from './negotiate-variant.js';
import { renderSegments } from './segments.js';
import { renderText } from './render-text.js';
import { lookupVar, piVarName } from './var-reference.js';
import { localName, type XmlDocument, type XmlElement, type XmlNode } from './xml-node.js';

export interface Template {
  render(variant: Variant, vars: Vars, base: string | undefined): string;
  /** normalize-space of the head's <title> with its variables: a mail subject can hold no line break. */
  title(vars: Vars): string;
}

/** `transform` adds the xml-stylesheet PI to the XHTML serialisation only (never HTML, text or mail). */
export function compileTemplate(doc: XmlDocument, transform: string | undefined): Template {
  const xhtml = compileMarkup(doc, 'xhtml', transform);
  const html = compileMarkup(doc, 'html', undefined);
  const title = findTitle(doc.root);
  return {
    render(variant, vars, base) {
      switch (variant) {
        case 'xhtml':
          return renderSegments(xhtml, vars, base);
        case 'html':
          return renderSegments(html, vars, base);
        case 'text':
          return renderText(doc, vars, base);
      }
    },
    title(vars) {
      const text = title === undefined ? '' : textOf(title, vars);
      // Every control character (CR, LF, NEL, C1...) and Unicode separator becomes a space.
      return xmlSafe(text)
        .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
        .trim();
    },
  };
}

/** The title inside the root's head, as the original's `(//title)[1]` would find it. */
export function findTitle(root: XmlElement): XmlElement | undefined {
  const head = root.children.find((n): n is XmlElement => n.kind === 'element' && localName(n) === 'head');
  return head?.children.find((n): n is XmlElement => n.kind === 'element' && localName(n) === 'title');
}

function textOf(node: XmlNode, vars: Vars): string {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'pi': {
      const name = piVarName(node);
      return name === undefined ? '' : (lookupVar(vars, name) ?? '');
    }
    case 'comment':
      return '';
    case 'element':
      return node.children.map((child) => textOf(child, vars)).join('');
  }
}
