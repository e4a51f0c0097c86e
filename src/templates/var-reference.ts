/**
 * The two ways a template names a variable (ORIGINAL.md §6): a `<?var $NAME?>`
 * processing instruction, and `$NAME` inside an attribute value.
 */
import type { Vars } from '../flows/ports.js';
import type { XmlPi } from './xml-node.js';

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
  return Object.hasOwn(vars, name) ? vars[name] : undefined;
}

/** An attribute value with its known `$NAME`s replaced (unescaped; unknown names stay literal). */
export function substituteAttribute(value: string, vars: Vars): string {
  return value.replace(ATTRIBUTE_VAR, (literal, name: string) => lookupVar(vars, name) ?? literal);
}
