/**
 * Test helpers: prove a rendered page is well-formed XML (two independent
 * checks) and find elements in it the way a browser would.
 */
import { XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import { parseXml } from '../../src/templates/parse-xml.js';
import { localName, type XmlElement, type XmlNode } from '../../src/templates/xml-node.js';

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const FORBIDDEN = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Parses `xml`, failing the test unless both parsers accept it. */
export function wellFormed(xml: string): XmlElement {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).not.toMatch(FORBIDDEN);
  return parseXml(xml).root;
}

export function elements(root: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlNode): void => {
    if (node.kind !== 'element') return;
    if (localName(node) === name) found.push(node);
    node.children.forEach(walk);
  };
  walk(root);
  return found;
}

export function attribute(element: XmlElement, name: string): string | undefined {
  return element.attributes.find(([n]) => n === name)?.[1];
}

/** Text content (processing instructions left out). */
export function textOf(node: XmlNode): string {
  if (node.kind === 'text') return node.text;
  if (node.kind === 'element') return node.children.map(textOf).join('');
  return '';
}
