import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/templates/parse-xml.js';

describe('parseXml', () => {
  it('keeps processing instructions in place and attributes in source order', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<r z="1" a="2" m="3">x<?var $NAME?>y</r>');
    expect(doc.root.attributes).toEqual([
      ['z', '1'],
      ['a', '2'],
      ['m', '3'],
    ]);
    expect(doc.root.children).toEqual([
      { kind: 'text', text: 'x' },
      { kind: 'pi', target: 'var', data: '$NAME' },
      { kind: 'text', text: 'y' },
    ]);
  });

  it('decodes the predefined entities, character references and CDATA', () => {
    const doc = parseXml('<r a="&quot;&#x41;&#66;">&lt;&gt;&amp;&apos;<![CDATA[<b>&]]>&#x1F600;</r>');
    expect(doc.root.attributes[0]?.[1]).toBe('"AB');
    expect(doc.root.children).toEqual([{ kind: 'text', text: "<>&'<b>&\u{1F600}" }]);
  });

  it('turns literal whitespace in attribute values into spaces and keeps references', () => {
    const doc = parseXml('<r a="x\r\n\ty&#10;z"/>');
    expect(doc.root.attributes[0]?.[1]).toBe('x  y\nz');
  });

  it('keeps comments and processing instructions before the root, skipping the DOCTYPE', () => {
    const doc = parseXml('<?xml version="1.0" encoding="utf-8"?><!-- c --><?xml-stylesheet href="a"?><!DOCTYPE html [ <!ENTITY x "]>"> ]><html/>');
    expect(doc.prolog).toEqual([
      { kind: 'comment', text: ' c ' },
      { kind: 'pi', target: 'xml-stylesheet', data: 'href="a"' },
    ]);
    expect(doc.root.name).toBe('html');
  });

  it.each([
    ['an unclosed element', '<r><p></r>', /line 1, column 7: <\/r> does not close <p>/],
    ['a missing end tag', '<r>\n<p>', /line 2.*never closed/],
    ['a duplicate attribute', '<r a="1" a="2"/>', /attribute a appears twice/],
    ['an HTML entity', '<r>&nbsp;</r>', /unknown entity &nbsp;/],
    ['a bare ampersand', '<r>AT&T</r>', /unknown entity|'&'/],
    ["a '<' in an attribute", '<r a="<"/>', /'<' is not allowed/],
    ['an unquoted attribute', '<r a=1/>', /must be quoted/],
    ['a control character', '<r>\u0001</r>', /U\+1 is not allowed/],
    ['a reference to a forbidden character', '<r>&#0;</r>', /not an XML character/],
    ['two roots', '<r/><s/>', /content after the root element/],
    ['text after the root', '<r/>x', /content after the root element/],
    ['text before the root', 'x<r/>', /text before the root element/],
    ["'--' in a comment", '<r><!-- a -- b --></r>', /'--' is not allowed/],
    ["']]>' in text", '<r>]]></r>', /']]>' is not allowed/],
    ['a late XML declaration', '<r><?xml version="1.0"?></r>', /XML declaration must come first/],
    ['a non-UTF-8 encoding', '<?xml version="1.0" encoding="iso-8859-1"?><r/>', /encoding iso-8859-1/],
    ['an empty file', '', /no root element/],
    ['an unterminated comment', '<r><!-- </r>', /unterminated comment/],
  ])('rejects %s, naming the line', (_what, source, message) => {
    expect(() => parseXml(source)).toThrow(message);
  });

  it('parses deeply nested elements without exhausting the stack', () => {
    const depth = 100_000;
    const doc = parseXml(`${'<d>'.repeat(depth)}${'</d>'.repeat(depth)}`);
    expect(doc.root.name).toBe('d');
  });
});
