/**
 * Content negotiation between the three serialisations (ORIGINAL.md §6, after
 * Perl's HTTP::Negotiate): score = qs x q(Accept), where q comes from the most
 * specific matching media range (RFC 9110 §12.5.1) and a type no range matches
 * scores 0.1. Ties go to XHTML, and so does an Accept that refuses everything or
 * makes no sense: an error page is always better than a 406 (the original crashed).
 */
import { boundedMemo } from '../http/bounded-memo.js';

export type Variant = 'xhtml' | 'html' | 'text';

export const CONTENT_TYPES: Readonly<Record<Variant, string>> = {
  xhtml: 'application/xhtml+xml; charset=utf-8',
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

const VARIANTS: ReadonlyArray<{ variant: Variant; type: string; subtype: string; qs: number }> = [
  { variant: 'xhtml', type: 'application', subtype: 'xhtml+xml', qs: 1 },
  { variant: 'html', type: 'text', subtype: 'html', qs: 0.8 },
  { variant: 'text', type: 'text', subtype: 'plain', qs: 0.5 },
];

const UNMATCHED_Q = 0.1;
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** Distinct Accept headers are few (one per browser build); remember the answers. */
const memo = boundedMemo<Variant>();

export function negotiateVariant(accept: string): Variant {
  const known = memo.get(accept);
  if (known !== undefined) return known;
  const variant = choose(accept);
  memo.set(accept, variant);
  return variant;
}

interface Range {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function choose(accept: string): Variant {
  if (accept.trim() === '') return 'xhtml';
  const ranges = parse(accept);
  let best: Variant = 'xhtml';
  let bestScore = 0;
  for (const { variant, type, subtype, qs } of VARIANTS) {
    const score = qs * quality(ranges, type, subtype);
    if (score > bestScore) {
      best = variant;
      bestScore = score;
    }
  }
  return best;
}

function quality(ranges: readonly Range[], type: string, subtype: string): number {
  let specificity = 0;
  let q = UNMATCHED_Q;
  for (const range of ranges) {
    const level =
      range.type === type && range.subtype === subtype
        ? 3
        : range.type === type && range.subtype === '*'
          ? 2
          : range.type === '*' && range.subtype === '*'
            ? 1
            : 0;
    if (level > specificity) {
      specificity = level;
      q = range.q;
    }
  }
  return q;
}

/** Ranges that do not parse (bad token, bad q, `*\/html`) are ignored, not fatal. */
function parse(accept: string): Range[] {
  const ranges: Range[] = [];
  for (const item of accept.slice(0, 8192).split(',')) {
    const [mediaRange = '', ...parameters] = item.split(';');
    const [type = '', subtype = '', extra] = mediaRange.trim().toLowerCase().split('/');
    if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) continue;
    let q = 1;
    let valid = true;
    for (const parameter of parameters) {
      const [name = '', value = ''] = parameter.split('=');
      if (name.trim().toLowerCase() !== 'q') continue;
      valid = QVALUE.test(value.trim());
      q = Number(value.trim());
    }
    if (valid) ranges.push({ type, subtype, q });
  }
  return ranges;
}
