import type { z } from 'zod';
import { didYouMean } from './closest-name.js';
import type { FoldProblem } from './fold-keys.js';
import { configReference } from './reference.js';

/** Keys the original (0.4.0, never published) had and we do not implement. */
const HINTS: Readonly<Record<string, string>> = {
  jwt: "not supported: the original's unreleased 0.4.0 JWT variable is not part of this version",
  'vars.jwt': "not supported: the original's unreleased 0.4.0 JWT variable is not part of this version",
};

function showPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** Names that may follow `parent`: the next segment of every documented key below it. */
function siblings(parent: string): string[] {
  const prefix = parent === '' ? '' : `${parent}.`;
  const names = configReference()
    .filter((row) => row.key.startsWith(prefix))
    .map((row) => row.key.slice(prefix.length).split('.')[0] ?? '');
  return [...new Set(names)];
}

function unknownKey(path: readonly PropertyKey[]): string {
  const where = showPath(path);
  const hint = HINTS[where];
  if (hint !== undefined) return `${where}: ${hint}`;
  return `${where}: unknown key${didYouMean(String(path[path.length - 1]), siblings(showPath(path.slice(0, -1))))}`;
}

/** One line per problem, `key.path: what is wrong`, in the order found. */
export function problemLines(folding: readonly FoldProblem[], issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = folding.map((p) => `${p.path}: ${p.message}`);
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(unknownKey([...issue.path, key]));
    } else {
      lines.push(`${showPath(issue.path)}: ${issue.message}`);
    }
  }
  return lines;
}
