/**
 * The folders shipped with the package (templates/, static/). This module runs
 * from src/templates/ under vitest and tsx, and from dist/src/templates/ after the
 * build, so walk up to the folder whose package.json is ours.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../app/app-error.js';

const PACKAGE_NAME = 'forget-passwords';
let packageRoot: string | undefined;

export function packagedFolder(name: 'templates' | 'static'): string {
  packageRoot ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return join(packageRoot, name);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isOurs(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new AppError('TEMPLATE_MISSING', `cannot find the ${PACKAGE_NAME} package folder above ${start}`);
    }
  }
}

function isOurs(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
