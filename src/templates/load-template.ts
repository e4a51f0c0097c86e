/**
 * Reads, checks and compiles one template file. Problems are reported with the
 * file and the reason, so a bad template stops the daemon at start (STYLE.md:
 * fail at start) and a bad per-site override can be logged precisely.
 */
import { readFileSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';
import { compileTemplate, findTitle, type Template } from './compile-template.js';
import { parseXml } from './parse-xml.js';
import { localName } from './xml-node.js';

const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function loadTemplate(file: string, transform: string | undefined): Template {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(cause)})`;
    throw new AppError('TEMPLATE_MISSING', `template ${file}: ${reason}`, { cause });
  }
  const invalid = (reason: string, cause?: unknown): AppError =>
    new AppError('TEMPLATE_INVALID', `template ${file}: ${reason}`, { cause });
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch (cause) {
    throw invalid('not valid UTF-8', cause);
  }
  try {
    const doc = parseXml(source);
    const root = doc.root;
    const ns = root.attributes.find(([name]) => name === 'xmlns')?.[1];
    if (localName(root) !== 'html' || ns !== XHTML_NS) {
      throw new Error(`the root element must be <html xmlns="${XHTML_NS}">`);
    }
    if (findTitle(root) === undefined) throw new Error('<head> needs a <title> (it is the heading and the mail subject)');
    return compileTemplate(doc, transform);
  } catch (cause) {
    throw invalid(cause instanceof Error ? cause.message : String(cause), cause);
  }
}
