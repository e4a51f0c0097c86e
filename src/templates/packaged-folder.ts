import { join } from 'node:path';
import { packageRoot } from '../app/package-root.js';

/** The folders shipped with the package (templates/, static/). */
export function packagedFolder(name: 'templates' | 'static'): string {
  return join(packageRoot(), name);
}
