/**
 * The two ways a template names a variable (ORIGINAL.md §6): a `<?var $NAME?>`
 * processing instruction, and `$NAME` inside an attribute value; and ours for rows:
 * an element with `data-repeat="NAME"` appears once per row of NAME.
 */
import type { Rows, Vars } from '../flows/vars.js';
import type { XmlElement, XmlPi } from './xml-node.js';

/** The attribute that repeats its element once per row; never written out. */
export const REPEAT_ATTRIBUTE = 'data-repeat';

/** `$NAME` in attribute values; other text is never substituted. */
export const ATTRIBUTE_VAR = /\$([A-Z_][0-9A-Z_]*)/g;

/** The variable a `<?var ...?>` names (leading `$` and trailing `?` optional), if any. */
export function piVarName(pi: XmlPi): string | undefined {
  if (pi.target !== 'var') return undefined;
  const name = pi.data.trim().replace(/^\$/, '').replace(/\?$/, '').trim();
  return /^[A-Za-z_][0-9A-Za-z_]*$/.test(name) ? name : undefined;
}

/** The value of a variable; own properties only, so `<?var constructor?>` finds nothing. */
export function lookupVar(vars: Vars, name: string): string | undefined {
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The rows of a variable; none when it is missing or a plain string. */
export function lookupRows(vars: Vars, name: string): Rows {
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  return Array.isArray(value) ? (value as Rows) : [];
}

/** The variables inside one repeated row: the row's own names first, then the page's. */
export function rowVars(vars: Vars, row: Vars): Vars {
  return { ...vars, ...row };
}

/** The rows variable an element repeats over (`data-repeat="NAME"`, `$` optional), if any. */
export function repeatName(element: XmlElement): string | undefined {
  const value = element.attributes.find(([name]) => name === REPEAT_ATTRIBUTE)?.[1];
  if (value === undefined) return undefined;
  const name = value.trim().replace(/^\$/, '');
  return /^[A-Za-z_][0-9A-Za-z_]*$/.test(name) ? name : undefined;
}

/** An attribute value with its known `$NAME`s replaced (unescaped; unknown names stay literal). */
export function substituteAttribute(value: string, vars: Vars): string {
  return value.replace(ATTRIBUTE_VAR, (literal, name: string) => lookupVar(vars, name) ?? literal);
}
