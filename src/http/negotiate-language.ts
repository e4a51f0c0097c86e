/**
 * Picks the template language for a request from its Accept-Language (RFC 9110 §12.5.4).
 * A range counts for a language when it names it (`de`) or a region or script of it
 * (`de-AT`, `de-Latn-CH`: RFC 4647 §3.4 lookup falls back to the primary subtag), or is `*`.
 * The best q wins; equal q goes to the range the browser listed first, then to the order of
 * `languages` (templates.languages). No header, nothing acceptable or nonsense gives the
 * first of `languages`: a page in a language nobody asked for beats a 406.
 */
import { boundedMemo } from './bounded-memo.js';

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;

const memo = boundedMemo<string>();

export function negotiateLanguage(header: string, languages: readonly string[]): string {
  const fallback = languages[0] ?? 'en';
  if (header.trim() === '' || languages.length < 2) return fallback;
  const key = `${languages.join(',')}\n${header}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const chosen = choose(parse(header), languages) ?? fallback;
  memo.set(key, chosen);
  return chosen;
}

interface Range {
  /** Lower-case primary subtag, or `*`. */
  readonly primary: string;
  /** The whole range names just the primary subtag (`de`, not `de-AT`). */
  readonly exact: boolean;
  readonly q: number;
  readonly position: number;
}

function choose(ranges: readonly Range[], languages: readonly string[]): string | undefined {
  let best: { language: string; q: number; position: number } | undefined;
  for (const language of languages) {
    const match = matchFor(ranges, language);
    if (match === undefined || match.q <= 0) continue;
    if (best === undefined || match.q > best.q || (match.q === best.q && match.position < best.position)) {
      best = { language, q: match.q, position: match.position };
    }
  }
  return best?.language;
}

/**
 * The range that decides a language's q: the one naming it exactly, else the best of its
 * regional ranges, else `*` (so `de;q=0` refuses German even where `de-AT` is listed).
 */
function matchFor(ranges: readonly Range[], language: string): Range | undefined {
  const exact = ranges.find((r) => r.primary === language && r.exact);
  if (exact !== undefined) return exact;
  let regional: Range | undefined;
  for (const range of ranges) {
    if (range.primary !== language) continue;
    if (regional === undefined || range.q > regional.q) regional = range;
  }
  return regional ?? ranges.find((r) => r.primary === '*');
}

/** Items that do not parse (bad tag, bad q) are ignored, not fatal. */
function parse(header: string): Range[] {
  const ranges: Range[] = [];
  for (const [position, item] of header.slice(0, 8192).split(',').entries()) {
    const [tag = '', ...parameters] = item.split(';');
    const range = tag.trim().toLowerCase();
    if (!RANGE.test(range)) continue;
    let q = 1;
    let valid = true;
    for (const parameter of parameters) {
      const [name = '', value = ''] = parameter.split('=');
      if (name.trim().toLowerCase() !== 'q') continue;
      valid = QVALUE.test(value.trim());
      q = Number(value.trim());
    }
    if (!valid) continue;
    const primary = range.split('-')[0] ?? range;
    ranges.push({ primary, exact: primary === range, q, position });
  }
  return ranges;
}
