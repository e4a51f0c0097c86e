import { describe, expect, it } from 'vitest';
import { compileTemplate, type Template } from '../../src/templates/compile-template.js';
import { parseXml } from '../../src/templates/parse-xml.js';
import { attribute, elements, textOf, wellFormed } from './xml-query.js';

const page = (body: string, head = '<title>T <?var $DOMAIN?></title>'): string =>
  `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head>${head}</head><body>${body}</body></html>`;

const compile = (source: string, transform?: string): Template => compileTemplate(parseXml(source), transform);

const HOSTILE = [
  '<script>alert(1)</script>',
  'a & b &amp; &#x41;',
  `"quotes" and 'apostrophes'`,
  ']]> <![CDATA[ x',
  '<?xml-stylesheet href="evil"?>',
  '<!-- -->',
  'nul\u0000 bell\u0007 vt\u000b ff\u000c esc\u001b',
  'lone \uD800 surrogate \uDC00',
  'noncharacters \uFFFE\uFFFF',
  'line\r\nbreak\ttab',
  '"/><input name="x" value="',
  '\u{1F510} ünïcødé',
];
// What survives: everything but the characters XML 1.0 forbids.
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const kept = (value: string): string => value.replace(/[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/gu, '');

describe('compileTemplate', () => {
  it.each(HOSTILE)('escapes %j in a <?var?> so the page stays well-formed', (value) => {
    const out = compile(page('<p id="p"><?var $V?></p>')).render('xhtml', { V: value }, undefined);
    const [p] = elements(wellFormed(out), 'p');
    expect(textOf(p!)).toBe(kept(value));
  });

  it.each(HOSTILE)('escapes %j in an attribute so the page stays well-formed', (value) => {
    const out = compile(page('<a href="/x?v=$V" title="$V">x</a>')).render('xhtml', { V: value }, undefined);
    const [a] = elements(wellFormed(out), 'a');
    expect(attribute(a!, 'href')).toBe(`/x?v=${kept(value)}`);
    expect(attribute(a!, 'title')).toBe(kept(value));
  });

  it('accepts <?var?> without the $ and with a trailing ?', () => {
    const out = compile(page('<p><?var NAME?>|<?var $NAME??>|<?var  $NAME ?></p>')).render('xhtml', { NAME: 'n' }, undefined);
    expect(out).toContain('<p>n|n|n</p>');
  });

  it('renders a missing variable as empty text and leaves no processing instruction', () => {
    const out = compile(page('<p>[<?var $MISSING?>]</p>')).render('xhtml', {}, undefined);
    expect(out).toContain('<p>[]</p>');
    expect(out).not.toContain('<?var');
  });

  it('does not read variables off the object prototype', () => {
    const out = compile(page('<p>[<?var constructor?>]</p>')).render('xhtml', {}, undefined);
    expect(out).toContain('<p>[]</p>');
  });

  it('leaves unknown $NAMEs in attributes literal and never substitutes in text', () => {
    const out = compile(page('<a href="$KNOWN/$UNKNOWN/$lower">$KNOWN</a>')).render('xhtml', { KNOWN: 'k' }, undefined);
    expect(out).toContain('<a href="k/$UNKNOWN/$lower">$KNOWN</a>');
  });

  it('substitutes in every attribute, whatever the element', () => {
    const out = compile(page('<span title="$V" data-x="$V">x</span>')).render('xhtml', { V: 'v' }, undefined);
    expect(out).toContain('<span title="v" data-x="v">x</span>');
  });

  it('inserts <base href> right after the title when a base is given', () => {
    const out = compile(page('<p/>', '<meta charset="utf-8"/><title>T</title><style>p{}</style>')).render('xhtml', {}, 'https://s.example/a?b=1&c');
    expect(out).toContain('<title>T</title><base href="https://s.example/a?b=1&amp;c"/><style>');
    expect(attribute(elements(wellFormed(out), 'base')[0]!, 'href')).toBe('https://s.example/a?b=1&c');
  });

  it('puts <base> first in a head without a title', () => {
    const out = compile(page('<p/>', '<meta charset="utf-8"/>')).render('html', {}, 'https://s.example/');
    expect(out).toContain('<head><base href="https://s.example/"><meta charset="utf-8"></head>');
  });

  it("replaces the href of the template's own <base>, keeping its other attributes", () => {
    const template = compile(page('<p/>', '<title>T</title><base target="_top" href="https://old.example/"/>'));
    expect(template.render('xhtml', {}, 'https://new.example/')).toContain('<base target="_top" href="https://new.example/"/>');
    expect(template.render('xhtml', {}, undefined)).toContain('<base target="_top" href="https://old.example/"/>');
  });

  it('adds no <base> when none is given', () => {
    expect(compile(page('<p/>')).render('xhtml', {}, undefined)).not.toContain('<base');
  });

  it('adds the xml-stylesheet instruction to the XHTML serialisation only', () => {
    const template = compile(page('<p>x</p>'), 'https://s.example/t.xsl?a&b');
    const xhtml = template.render('xhtml', {}, undefined);
    expect(xhtml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet href="https://s.example/t.xsl?a&amp;b" type="text/xsl"?>\n<!DOCTYPE html>\n')).toBe(true);
    wellFormed(xhtml);
    expect(template.render('html', {}, undefined)).not.toContain('xml-stylesheet');
    expect(template.render('text', {}, undefined)).not.toContain('xml-stylesheet');
  });

  it('replaces an xml-stylesheet instruction the template already has', () => {
    const source = page('<p/>').replace('<html', '<?xml-stylesheet href="old.xsl" type="text/xsl"?><html');
    const out = compile(source, 'new.xsl').render('xhtml', {}, undefined);
    expect(out).toContain('href="new.xsl"');
    expect(out).not.toContain('old.xsl');
  });

  it('serialises HTML5: doctype, no XML declaration or instructions, void elements unclosed', () => {
    const source = page('<p>a<br/>b</p><p></p><input name="n" value="$V"/><?other x?><!-- c -->').replace('<html', '<?pi x?><html');
    const out = compile(source).render('html', { V: 'v"' }, undefined);
    expect(out.startsWith('<!DOCTYPE html>\n<html')).toBe(true);
    expect(out).not.toContain('<?');
    expect(out).toContain('<p>a<br>b</p><p></p><input name="n" value="v&quot;"><!-- c -->');
  });

  it('serialises XHTML with empty void elements self-closed and others open-closed', () => {
    const out = compile(page('<p>a<br/>b</p><p></p>')).render('xhtml', {}, undefined);
    expect(out).toContain('<p>a<br/>b</p><p></p>');
  });

  it('keeps style text raw in HTML and defuses a closing tag a value could smuggle in', () => {
    const template = compile(page('<p/>', '<title>T</title><style>a > b{} <?var $V?></style>'));
    expect(template.render('html', { V: '</style><script>' }, undefined)).toContain('<style>a > b{} <\\/style><script></style>');
    expect(template.render('xhtml', {}, undefined)).toContain('<style>a &gt; b{} </style>');
  });

  it('gives the title with its variables, on one line, as the subject', () => {
    const template = compile(page('<p/>', '<title>\n  Your Link to\n  Access <?var $DOMAIN?>\n</title>'));
    expect(template.title({ DOMAIN: 'a.example\r\nBcc: x@evil.example\u2028\u0085\u0000' })).toBe(
      'Your Link to Access a.example Bcc: x@evil.example',
    );
  });
});

describe('compileTemplate data-repeat', () => {
  const list = page('<ul><li data-repeat="ROWS" title="$NAME"><?var $NAME?> on <?var $DOMAIN?></li></ul>');

  it('repeats the element once per row, the row names beside the page ones, dropping the attribute', () => {
    const html = compile(list).render('xhtml', { DOMAIN: 'd.test', ROWS: [{ NAME: 'a' }, { NAME: 'b' }] }, undefined);
    const items = elements(wellFormed(html), 'li');
    expect(items.map(textOf)).toEqual(['a on d.test', 'b on d.test']);
    expect(items.map((li) => attribute(li, 'title'))).toEqual(['a', 'b']);
    expect(html).not.toContain('data-repeat');
  });

  it('renders nothing for no rows, a missing variable or a plain string', () => {
    for (const ROWS of [[], undefined, 'text']) {
      const vars = ROWS === undefined ? {} : { ROWS };
      const html = compile(list).render('xhtml', vars, undefined);
      expect(elements(wellFormed(html), 'li')).toEqual([]);
    }
  });

  it.each(HOSTILE)('keeps the markup well-formed whatever a row holds: %j', (value) => {
    for (const variant of ['xhtml', 'html'] as const) {
      const html = compile(list).render(variant, { ROWS: [{ NAME: value }, { NAME: value }] }, undefined);
      if (variant === 'xhtml') {
        const items = elements(wellFormed(html), 'li');
        expect(items.map(textOf)).toEqual([`${kept(value)} on `, `${kept(value)} on `]);
        expect(items.map((li) => attribute(li, 'title'))).toEqual([kept(value), kept(value)]);
      } else {
        expect(html.match(/<li /g)).toHaveLength(2);
      }
    }
  });

  it('nests: a row may carry rows of its own', () => {
    const nested = compile(page('<div data-repeat="A"><p data-repeat="B"><?var $X?><?var $Y?></p></div>'));
    const html = nested.render('xhtml', { A: [{ X: '1', B: [{ Y: 'a' }, { Y: 'b' }] }, { X: '2', B: [] }] }, undefined);
    expect(elements(wellFormed(html), 'p').map(textOf)).toEqual(['1a', '1b']);
  });

  it('repeats in the text variant too', () => {
    const text = compile(list).render('text', { DOMAIN: 'd', ROWS: [{ NAME: 'a' }, { NAME: 'b' }] }, undefined);
    expect(text).toBe('- a on d\n\n- b on d\n');
  });
});

describe('compileTemplate text variant', () => {
  const text = (body: string, vars = {}, base?: string): string => compile(page(body)).render('text', vars, base);

  it('puts each heading on a line of its own, not underlined (issue 15: no `#####` in the mail)', () => {
    expect(text('<h1>One</h1><h2>Two</h2><h3>Six</h3><h4>Four</h4><h6>S</h6>')).toBe('One\n\nTwo\n\nSix\n\nFour\n\nS\n');
  });

  it('fills the heading in with its variables', () => {
    expect(text('<h1>Hi <?var $N?></h1>', { N: 'Bob' })).toBe('Hi Bob\n');
  });

  it('ends each non-empty paragraph with a blank line and normalises whitespace', () => {
    expect(text('<p>  one\n   two  </p><p>   </p><p>three <em>four</em></p>')).toBe('one two\n\nthree four\n');
  });

  it('shows links as text <href> with their variables', () => {
    expect(text('<p><a href="$KNOCK_URL">Log in</a> now</p>', { KNOCK_URL: 'https://s.example/?knock=T' })).toBe(
      'Log in <https://s.example/?knock=T> now\n',
    );
  });

  it('resolves relative links against the base', () => {
    expect(text('<p><a href="/">Home</a></p>', {}, 'https://s.example/deep/page')).toBe('Home <https://s.example/>\n');
  });

  it('drops forms, images, objects and iframes', () => {
    expect(text('<p>a<img src="x"/></p><form action="/x"><p>inside</p><button>Go</button></form><object/><iframe/><p>b</p>')).toBe(
      'a\n\nb\n',
    );
  });

  it('leaves the head out', () => {
    expect(text('<p>body</p>')).toBe('body\n');
  });
});
