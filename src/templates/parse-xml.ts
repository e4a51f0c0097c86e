/**
 * A strict, small XML 1.0 parser for template files. Templates are read once at
 * start (or when a per-site override changes), so clarity beats speed here; what
 * matters is that every well-formedness error is found and named with its line.
 * No DTD processing: only the five predefined entities and character references
 * exist, as in any XHTML file served as application/xhtml+xml without a DTD.
 */
import type { XmlComment, XmlDocument, XmlElement, XmlNode, XmlPi } from './xml-node.js';

interface MutableElement extends XmlElement {
  readonly children: XmlNode[];
}

// XML 1.0 §2.3 Name, narrowed to what real templates use (all of the BMP above U+00C0).
const NAME = /[A-Za-z_:\u00C0-\uFFFF][-.\w:\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\n]*/y;
// XML 1.0 §2.2 Char: the complement, including unpaired surrogates.
// eslint-disable-next-line no-control-regex -- matching the forbidden control characters is the point
const NOT_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(source: string): XmlDocument {
  return new Parser(source).document();
}

class Parser {
  private readonly src: string;
  private pos = 0;

  constructor(source: string) {
    // XML 1.0 §2.11: line ends are normalised before parsing.
    this.src = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  }

  document(): XmlDocument {
    const bad = NOT_CHAR.exec(this.src);
    if (bad) this.fail(`character U+${bad[0].charCodeAt(0).toString(16).toUpperCase()} is not allowed in XML`, bad.index);
    if (/^<\?xml[ \t\n]/.test(this.src)) this.declaration();
    const prolog: Array<XmlPi | XmlComment> = [];
    let doctype = false;
    for (;;) {
      this.space();
      if (this.at('<!--')) prolog.push(this.comment());
      else if (this.at('<?')) prolog.push(this.pi());
      else if (this.at('<!DOCTYPE')) {
        if (doctype) this.fail('a second DOCTYPE');
        this.doctype();
        doctype = true;
      } else if (this.at('<')) break;
      else this.fail(this.pos >= this.src.length ? 'no root element' : 'text before the root element');
    }
    const root = this.element();
    for (;;) {
      this.space();
      if (this.pos >= this.src.length) break;
      if (this.at('<!--')) prolog.push(this.comment());
      else if (this.at('<?')) this.pi();
      else this.fail('content after the root element');
    }
    return { prolog, root };
  }

  private element(): XmlElement {
    const root = this.startTag();
    if (root.selfClosing) return root.element;
    const stack: MutableElement[] = [root.element];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (this.pos >= this.src.length) this.fail(`<${top.name}> is never closed`);
      if (this.at('</')) {
        const at = this.pos;
        this.pos += 2;
        const name = this.name();
        this.space();
        this.expect('>');
        if (name !== top.name) this.fail(`</${name}> does not close <${top.name}>`, at);
        stack.pop();
      } else if (this.at('<!--')) top.children.push(this.comment());
      else if (this.at('<![CDATA[')) this.text(top, this.cdata());
      else if (this.at('<?')) top.children.push(this.pi());
      else if (this.at('<!')) this.fail('markup declarations are only allowed in the DOCTYPE');
      else if (this.at('<')) {
        const child = this.startTag();
        top.children.push(child.element);
        if (!child.selfClosing) stack.push(child.element);
      } else this.text(top, this.characterData());
    }
    return root.element;
  }

  private startTag(): { element: MutableElement; selfClosing: boolean } {
    this.expect('<');
    const name = this.name();
    const attributes: Array<readonly [string, string]> = [];
    for (;;) {
      const before = this.pos;
      this.space();
      if (this.at('/>')) {
        this.pos += 2;
        return { element: { kind: 'element', name, attributes, children: [] }, selfClosing: true };
      }
      if (this.at('>')) {
        this.pos += 1;
        return { element: { kind: 'element', name, attributes, children: [] }, selfClosing: false };
      }
      if (before === this.pos) this.fail(`expected whitespace, '>' or '/>' in <${name}>`);
      const at = this.pos;
      const attribute = this.name();
      if (attributes.some(([seen]) => seen === attribute)) this.fail(`attribute ${attribute} appears twice`, at);
      this.space();
      this.expect('=');
      this.space();
      attributes.push([attribute, this.attributeValue()]);
    }
  }

  private attributeValue(): string {
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('attribute values must be quoted');
    const end = this.src.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail('unterminated attribute value');
    const raw = this.src.slice(this.pos + 1, end);
    const lt = raw.indexOf('<');
    if (lt >= 0) this.fail("'<' is not allowed in an attribute value", this.pos + 1 + lt);
    // XML 1.0 §3.3.3: literal whitespace becomes a space; character references survive.
    const value = this.decode(raw.replace(/[\t\n]/g, ' '), this.pos + 1);
    this.pos = end + 1;
    return value;
  }

  private characterData(): string {
    let end = this.src.indexOf('<', this.pos);
    if (end < 0) end = this.src.length;
    const raw = this.src.slice(this.pos, end);
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd >= 0) this.fail("']]>' is not allowed in text", this.pos + cdataEnd);
    const text = this.decode(raw, this.pos);
    this.pos = end;
    return text;
  }

  private decode(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&]*)(;?)/g, (match: string, name: string, semi: string, index: number) => {
      const at = offset + index;
      if (semi === '') this.fail("'&' must start an entity or character reference (write &amp;)", at);
      const predefined = PREDEFINED[name];
      if (predefined !== undefined) return predefined;
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
      if (!numeric) {
        this.fail(`unknown entity ${match}: XML knows only &lt; &gt; &amp; &quot; &apos; and &#...; references`, at);
      }
      const code = numeric[1] === undefined ? Number(numeric[2]) : parseInt(numeric[1], 16);
      const char = code <= 0x10ffff ? String.fromCodePoint(code) : '\0';
      if (NOT_CHAR.test(char) || (code >= 0xd800 && code <= 0xdfff)) this.fail(`${match} is not an XML character`, at);
      return char;
    });
  }

  private cdata(): string {
    const end = this.src.indexOf(']]>', this.pos);
    if (end < 0) this.fail('unterminated CDATA section');
    const text = this.src.slice(this.pos + 9, end);
    this.pos = end + 3;
    return text;
  }

  private text(parent: MutableElement, text: string): void {
    const last = parent.children[parent.children.length - 1];
    if (last?.kind === 'text') parent.children[parent.children.length - 1] = { kind: 'text', text: last.text + text };
    else if (text !== '') parent.children.push({ kind: 'text', text });
  }

  private comment(): XmlComment {
    const end = this.src.indexOf('--', this.pos + 4);
    if (end < 0) this.fail('unterminated comment');
    if (this.src[end + 2] !== '>') this.fail("'--' is not allowed inside a comment", end);
    const text = this.src.slice(this.pos + 4, end);
    this.pos = end + 3;
    return { kind: 'comment', text };
  }

  private pi(): XmlPi {
    const at = this.pos;
    this.pos += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('the XML declaration must come first in the file', at);
    const end = this.src.indexOf('?>', this.pos);
    if (end < 0) this.fail(`unterminated processing instruction <?${target}`, at);
    if (end > this.pos && !/^[ \t\n]/.test(this.src.slice(this.pos, end))) {
      this.fail(`expected whitespace after <?${target}`);
    }
    const data = this.src.slice(this.pos, end).replace(/^[ \t\n]+/, '');
    this.pos = end + 2;
    return { kind: 'pi', target, data };
  }

  private declaration(): void {
    const end = this.src.indexOf('?>');
    if (end < 0) this.fail('unterminated XML declaration');
    const declaration = this.src.slice(0, end);
    const encoding = /encoding[ \t\n]*=[ \t\n]*["']([^"']*)["']/.exec(declaration)?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
      this.fail(`encoding ${encoding} is not supported: save the file as UTF-8`);
    }
    this.pos = end + 2;
  }

  private doctype(): void {
    // Skipped, internal subset included: we never apply a DTD (see the file comment).
    let depth = 0;
    for (let i = this.pos + 9; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === '"' || c === "'") {
        const close = this.src.indexOf(c, i + 1);
        if (close < 0) break;
        i = close;
      } else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth <= 0) {
        this.pos = i + 1;
        return;
      }
    }
    this.fail('unterminated DOCTYPE');
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) this.fail('expected a name');
    this.pos = NAME.lastIndex;
    return match[0];
  }

  private space(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.src);
    this.pos = SPACE.lastIndex;
  }

  private at(literal: string): boolean {
    return this.src.startsWith(literal, this.pos);
  }

  private expect(literal: string): void {
    if (!this.at(literal)) this.fail(`expected '${literal}'`);
    this.pos += literal.length;
  }

  private fail(message: string, at = this.pos): never {
    const before = this.src.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new SyntaxError(`line ${line}, column ${column}: ${message}`);
  }
}
