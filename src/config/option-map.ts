import type { z } from 'zod';
import { didYouMean } from './closest-name.js';
import { foldOptionKey } from './fold-keys.js';
import { issueMessage } from './issue-message.js';

/**
 * One accepted key of a driver option map (`email.options`, `state.options`): the
 * name as documented, how its value is read, and which driver option(s) it sets.
 * Aliases (the Ruby Mail gem's names) are entries of their own with their own
 * `write`, so each is documented and mapped explicitly.
 */
export interface OptionSpec {
  readonly name: string;
  readonly value: z.ZodType;
  /** Driver option paths (dotted) and values to set; undefined values set nothing. */
  readonly write: (value: never) => ReadonlyArray<readonly [string, unknown]>;
  readonly description: string;
  /** Set when the key is absent (shown as the default in the reference). */
  readonly fallback?: unknown;
}

export function optionSpec<T>(spec: {
  name: string;
  value: z.ZodType<T>;
  write?: (value: T) => ReadonlyArray<readonly [string, unknown]>;
  description: string;
  fallback?: T;
}): OptionSpec {
  const { name, write = (value: T) => [[name, value]] } = spec;
  return { ...spec, write };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets a dotted path, merging into objects already there (`tls` and `tls.rejectUnauthorized`). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  const last = parts.pop() ?? path;
  let node = target;
  for (const part of parts) {
    const next = node[part];
    node = isPlainObject(next) ? next : (node[part] = {});
  }
  const existing = node[last];
  node[last] = isPlainObject(existing) && isPlainObject(value) ? { ...existing, ...value } : value;
}

/**
 * Reads a driver option map against its specs. Problems go to `ctx` with the key as
 * the admin spelled it. `unknown: 'keep'` passes unlisted keys through verbatim
 * (database drivers have many); `'reject'` makes them errors.
 */
export function readOptionMap(
  given: unknown,
  specs: readonly OptionSpec[],
  ctx: z.RefinementCtx,
  unknown: { readonly kind: 'keep' } | { readonly kind: 'reject'; readonly label: string },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (given === undefined || given === null) given = {};
  if (!isPlainObject(given)) {
    ctx.addIssue({ code: 'custom', message: 'expected a mapping' });
    return out;
  }
  const setBy = new Map<string, string>();
  for (const [key, raw] of Object.entries(given)) {
    const spec = specs.find((s) => foldOptionKey(s.name) === foldOptionKey(key));
    if (spec === undefined) {
      if (unknown.kind === 'keep') out[key] = raw;
      else {
        const hint = didYouMean(
          key,
          specs.map((s) => s.name),
        );
        ctx.addIssue({ code: 'custom', message: `unknown key for ${unknown.label}${hint}`, path: [key] });
      }
      continue;
    }
    const parsed = spec.value.safeParse(raw, { error: issueMessage });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
        for (const extra of keys) {
          const path = [key, ...issue.path, ...(extra === undefined ? [] : [extra])];
          ctx.addIssue({ code: 'custom', message: issue.message, path });
        }
      }
      continue;
    }
    for (const [target, value] of spec.write(parsed.data as never)) {
      if (value === undefined) continue;
      const earlier = setBy.get(target);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', message: `sets the same option as "${earlier}"`, path: [key] });
        continue;
      }
      setBy.set(target, key);
      setPath(out, target, value);
    }
  }
  for (const spec of specs) {
    if (spec.fallback === undefined) continue;
    for (const [target, value] of spec.write(spec.fallback as never)) {
      if (!setBy.has(target)) setPath(out, target, value);
    }
  }
  return out;
}
