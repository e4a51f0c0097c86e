import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding package.json, templates/ and static/: two levels up from
 * src/app under tsx/vitest, three from dist/src/app after the build.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('forget-passwords: cannot find package.json above the installed files');
    dir = parent;
  }
  cached = dir;
  return dir;
}
