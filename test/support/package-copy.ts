import { cp, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Copies what `npm pack` would ship (package.json and its `files`, built dist/ included) into
 * `dest`, with node_modules linked to the checkout's, so npm scripts run there as on a fresh
 * install without installing anything.
 */
export async function copyPackage(dest: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as {
    files: string[];
  };
  for (const entry of ['package.json', ...manifest.files]) {
    await cp(path.join(repo, entry), path.join(dest, entry), { recursive: true });
  }
  await symlink(path.join(repo, 'node_modules'), path.join(dest, 'node_modules'));
}
