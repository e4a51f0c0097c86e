import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
/** The core: pure code every adapter and flow builds on. It may import only itself and node. */
const CORE = ['policy', 'tokens', 'http'];
/** Leaves anything may import: they import nothing of ours. */
const LEAVES = ['errors'];

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'([^']+)'/gm))
    found.push(match[1] ?? '');
  return found;
}

describe('imports point inward', () => {
  it('finds imports at all (the reader works)', () => {
    const all = CORE.flatMap((folder) => sources(path.join(SRC, folder))).flatMap(specifiers);
    expect(all.length).toBeGreaterThan(20);
    expect(all).toContain('./acl-row.js');
  });

  it.each(CORE)('src/%s imports nothing outside the core', (folder) => {
    const outward: string[] = [];
    for (const file of sources(path.join(SRC, folder))) {
      for (const spec of specifiers(file)) {
        if (!spec.startsWith('.')) continue; // node: built-ins and packages
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
        const top = target.split(path.sep)[0] ?? '';
        if (!CORE.includes(top) && !LEAVES.includes(top))
          outward.push(`${path.relative(SRC, file)} -> ${spec}`);
      }
    }
    expect(outward).toEqual([]);
  });

  it.each(LEAVES)('src/%s imports nothing of ours', (folder) => {
    const ours = sources(path.join(SRC, folder)).flatMap((file) =>
      specifiers(file).filter((spec) => spec.startsWith('.') && !spec.startsWith('./')),
    );
    expect(ours).toEqual([]);
  });
});
