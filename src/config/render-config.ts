import { Document, isMap, isScalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import { configReference } from './reference.js';

const HEADER = [
  ' forget-passwords configuration.',
  ' Only the settings given when it was written are here; every other key has its',
  ' default. All keys, their defaults and meanings: README.md, "Configuration".',
  ' Secrets can stay out of this file: see the environment variables in the README.',
].join('\n');

function withoutUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([key, child]) => [key, withoutUndefined(child)]),
  );
}

/** Puts each known setting's one-line description above it. */
function annotate(map: YAMLMap, path: readonly string[], meanings: ReadonlyMap<string, string>): void {
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const keyPath = [...path, String(pair.key.value)];
    if (isMap(pair.value)) {
      annotate(pair.value, keyPath, meanings);
      continue;
    }
    const meaning = meanings.get(keyPath.join('.'));
    if (meaning !== undefined) pair.key.commentBefore = ` ${meaning}`;
  }
}

/** The YAML `init` writes: only the settings the admin gave, each with its meaning. */
export function renderConfigYaml(raw: Record<string, unknown>): string {
  // Written as YAML 1.1, as it is read, so a string like `yes` comes back a string.
  const doc = new Document(withoutUndefined(raw), { version: '1.1' });
  doc.commentBefore = HEADER;
  if (isMap(doc.contents)) {
    annotate(doc.contents, [], new Map(configReference().map((row) => [row.key, row.description])));
  }
  return doc.toString({ lineWidth: 0 });
}
