/**
 * `templates.transform_on: server` (issue 12): the daemon applies the site's XSLT to each
 * page itself and serves ordinary HTML, because browsers are dropping client-side XSLT
 * (Chromium already pastes a deprecation banner over transformed pages). The stylesheet
 * is read, parsed and tried on a sample page once, at start and on SIGHUP, so a broken
 * one stops the daemon naming its file instead of breaking every login page.
 *
 * xslt-processor is pure JavaScript (no native build) and async. Its result tree is
 * written by our own HTML writer (see asHtml): an XML serialisation read as HTML breaks
 * on `<br></br>` or `<div/>`, and misses the doctype (quirks mode).
 */
import { readFileSync } from 'node:fs';
import { XmlParser, Xslt, type XDocument, type XNode } from 'xslt-processor';
import { AppError } from '../errors/app-error.js';
import { compileMarkup } from './compile-markup.js';
import { parseXml } from './parse-xml.js';
import { renderSegments } from './segments.js';
import { localName, type XmlDocument, type XmlElement, type XmlNode } from './xml-node.js';

export interface ServerTransform {
  /** The stylesheet's absolute path, for messages. */
  readonly file: string;
  /** A page's XHTML serialisation in, an HTML document out. */
  apply(xhtml: string): Promise<string>;
}

const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What the stylesheet is tried on at load: the shape of every packaged page. */
const SAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Sample</title></head>
<body><main><h1>Sample</h1><form method="post" action="/email-link"><input name="email"/></form></main></body></html>
`;

export async function loadServerTransform(file: string): Promise<ServerTransform> {
  const fail = (reason: string, cause?: unknown): AppError =>
    new AppError('TEMPLATE_INVALID', `stylesheet ${file} (templates.transform): ${reason}`, { cause });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file (with transform_on: server this is a file on this machine, not a URL path of the site)'
        : `cannot be read (${code ?? String(cause)})`;
    throw new AppError('TEMPLATE_MISSING', `stylesheet ${file} (templates.transform): ${reason}`, { cause });
  }
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch (cause) {
    throw fail('not valid UTF-8', cause);
  }
  try {
    // Our strict parser names the line of a well-formedness error; xslt-processor's is lenient.
    const root = parseXml(source).root;
    const local = localName(root);
    if ((local !== 'stylesheet' && local !== 'transform') || namespaceOf(root, new Map()) !== XSL_NS) {
      throw new Error(`the root element must be <xsl:stylesheet xmlns:xsl="${XSL_NS}">`);
    }
    refuseEnvironment(root, new Map());
  } catch (cause) {
    throw fail(cause instanceof Error ? cause.message : String(cause), cause);
  }
  const parser = new XmlParser();
  const stylesheet = parser.xmlParse(source);
  const apply = async (xhtml: string): Promise<string> => {
    // One processor per page: it keeps state while it runs, and pages render concurrently.
    const xslt = new Xslt({
      // Given options replace the defaults as a whole: without `escape` the text would go out unescaped.
      escape: true,
      cData: true,
      selfClosingTags: false,
      outputMethod: 'xml',
      parameters: [],
      // xsl:import, xsl:include and document() would fetch at request time: not followed.
      fetchFunction: (uri: string) => Promise.reject(new Error(`${uri}: the daemon loads no other files`)),
    });
    return asHtml(await xslt.xsltProcessToDocument(parser.xmlParse(xhtml), stylesheet));
  };
  try {
    await apply(SAMPLE);
  } catch (cause) {
    throw fail(`fails on a sample page (${cause instanceof Error ? cause.message : String(cause)})`, cause);
  }
  return { file, apply };
}

/**
 * XPath 3.0's environment-variable() would read the daemon's environment (its database and
 * SMTP passwords) into pages anyone can see; xsl:evaluate could build that call at run time.
 * xslt-processor offers no way to switch them off, so a stylesheet naming either is refused.
 */
function refuseEnvironment(element: XmlElement, scope: ReadonlyMap<string, string>): void {
  if (namespaceOf(element, scope) === XSL_NS && localName(element) === 'evaluate') {
    throw new Error('xsl:evaluate is not allowed (it could read the environment, which holds secrets)');
  }
  const texts = [
    ...element.attributes.map(([, value]) => value),
    ...element.children.flatMap((child) => (child.kind === 'text' ? [child.text] : [])),
  ];
  if (texts.some((text) => text.includes(ENVIRONMENT))) {
    throw new Error(`${ENVIRONMENT}() is not allowed (the environment holds secrets)`);
  }
  const inner = declared(element, scope);
  for (const child of element.children) if (child.kind === 'element') refuseEnvironment(child, inner);
}

const ENVIRONMENT = 'environment-variable';

/** The namespaces in scope inside `element`: its parent's (`scope`), and its own xmlns attributes. */
function declared(element: XmlElement, scope: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const own = element.attributes.filter(([name]) => name === 'xmlns' || name.startsWith('xmlns:'));
  if (own.length === 0) return scope;
  const inner = new Map(scope);
  for (const [name, value] of own) inner.set(name === 'xmlns' ? '' : name.slice('xmlns:'.length), value);
  return inner;
}

function namespaceOf(element: XmlElement, scope: ReadonlyMap<string, string>): string | undefined {
  const colon = element.name.indexOf(':');
  return declared(element, scope).get(colon < 0 ? '' : element.name.slice(0, colon));
}

/** DOM node types (DOM §4.4) as xslt-processor numbers them. */
const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const CDATA = 4;
const PI = 7;
const COMMENT = 8;

/**
 * The result tree, written by the templates' own HTML writer. xslt-processor's serialiser
 * drops whitespace-only text (`<label>..</label> <input>` loses its space) and reads `&amp;`
 * in a value as already escaped; its tree holds every value decoded, as it should.
 */
function asHtml(result: XDocument): string {
  const root = result.childNodes.find((node) => node.nodeType === ELEMENT);
  if (root === undefined) throw new Error('the result has no root element (an HTML page is needed)');
  const doc: XmlDocument = { prolog: [], root: toElement(root) };
  return renderSegments(compileMarkup(doc, 'html', undefined), {}, undefined);
}

function toElement(node: XNode): XmlElement {
  const attributes: Array<readonly [string, string]> = [];
  const children: XmlNode[] = [];
  for (const child of node.childNodes) {
    if (child.nodeType === ATTRIBUTE) attributes.push([child.nodeName, text(child)]);
    else {
      const converted = toNode(child);
      if (converted !== undefined) children.push(converted);
    }
  }
  return { kind: 'element', name: node.nodeName, attributes, children };
}

function toNode(node: XNode): XmlNode | undefined {
  switch (node.nodeType) {
    case ELEMENT:
      return toElement(node);
    // disable-output-escaping is not honoured: every value is written escaped.
    case TEXT:
    case CDATA:
      return { kind: 'text', text: text(node) };
    case PI:
      return { kind: 'pi', target: node.nodeName, data: text(node) };
    case COMMENT:
      return { kind: 'comment', text: text(node).replaceAll('--', '- -') };
    default:
      return undefined;
  }
}

function text(node: XNode): string {
  const value: unknown = node.nodeValue;
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
