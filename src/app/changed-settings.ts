import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/config.js';

/** Settings SIGHUP applies; every other change waits for a restart. */
const RELOADABLE = ['templates', 'log'] as const;

/** Leaf key paths whose value differs, outside what SIGHUP applies. */
export function changedSettings(running: Config, next: Config): string[] {
  const changed: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (isDeepStrictEqual(a, b)) return;
    if (isTree(a) && isTree(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (path === '' && (RELOADABLE as readonly string[]).includes(key)) continue;
        walk(a[key], b[key], path === '' ? key : `${path}.${key}`);
      }
      return;
    }
    changed.push(path);
  };
  walk(running, next, '');
  return changed;
}

function isTree(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
