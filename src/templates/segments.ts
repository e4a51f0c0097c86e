/**
 * A template precompiled for one serialisation: literal markup with holes for
 * variables and for `<base href>`. Rendering is a single pass of string joins,
 * which keeps the 401 path cheap.
 */
import type { Vars } from '../flows/vars.js';
import { escapeAttribute, escapeRawText, escapeText } from './escape-xml.js';
import { lookupRows, lookupVar, rowVars } from './var-reference.js';

export type Segment =
  | string
  /** `<?var NAME?>`: escaped text, nothing when the variable is missing. */
  | { readonly kind: 'text'; readonly name: string; readonly raw: boolean }
  /** `$NAME` in an attribute: escaped value, or the literal `$NAME` when unknown. */
  | { readonly kind: 'attribute'; readonly name: string; readonly literal: string }
  /** `data-repeat="NAME"`: `body` once per row of NAME (none when it has no rows). */
  | { readonly kind: 'repeat'; readonly name: string; readonly body: readonly Segment[] }
  /** `<base>`: `before + href + after` when a base is given, else `fallback`. */
  | {
      readonly kind: 'base';
      readonly before: readonly Segment[];
      readonly after: readonly Segment[];
      readonly fallback: readonly Segment[];
    };

export function renderSegments(segments: readonly Segment[], vars: Vars, base: string | undefined): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'string') {
      out += segment;
      continue;
    }
    switch (segment.kind) {
      case 'text': {
        const value = lookupVar(vars, segment.name);
        if (value !== undefined) out += segment.raw ? escapeRawText(value) : escapeText(value);
        break;
      }
      case 'attribute': {
        const value = lookupVar(vars, segment.name);
        out += value === undefined ? segment.literal : escapeAttribute(value);
        break;
      }
      case 'repeat':
        for (const row of lookupRows(vars, segment.name)) {
          out += renderSegments(segment.body, rowVars(vars, row), base);
        }
        break;
      case 'base':
        out +=
          base === undefined
            ? renderSegments(segment.fallback, vars, base)
            : renderSegments(segment.before, vars, base) + escapeAttribute(base) + renderSegments(segment.after, vars, base);
        break;
    }
  }
  return out;
}
