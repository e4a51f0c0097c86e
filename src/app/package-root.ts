import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors/app-error.js';

const PACKAGE_NAME = 'forget-passwords';
let cached: string | undefined;

/**
 * The folder holding our package.json, templates/, static/ and
 * apache-example.conf. This module runs from src/app under vitest and tsx and
 * from dist/src/app after the build, so walk up to the package.json that is ours.
 */
export function packageRoot(): string {
  cached ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isOurs(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new AppError('INTERNAL', `cannot find the ${PACKAGE_NAME} package folder above ${start}`);
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
