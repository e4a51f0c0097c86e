import { mkdir, symlink } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/**
 * An npm cache in `dir` for installing this package without compiling anything: the package
 * tarballs are the ones `npm ci` left in ~/.npm (linked, not copied), and better-sqlite3's
 * install script (prebuild-install) finds its native binary where a download from its GitHub
 * releases would have been kept, packed from the one `npm ci` built here. Returns npm's
 * environment settings for that cache (metadata still comes from npm's registry).
 */
export async function npmCacheWithPrebuild(dir: string): Promise<Record<string, string>> {
  await mkdir(path.join(dir, '_prebuilds'), { recursive: true });
  await symlink(path.join(homedir(), '.npm', '_cacache'), path.join(dir, '_cacache'));
  const require = createRequire(path.join(repo, 'node_modules', 'prebuild-install', 'index.js'));
  const util = require('./util.js') as {
    getDownloadUrl(o: Record<string, unknown>): string;
    cachedPrebuild(url: string): string;
  };
  const sqlite = path.join(repo, 'node_modules', 'better-sqlite3');
  const pkg = require(path.join(sqlite, 'package.json')) as Record<string, unknown>;
  const url = util.getDownloadUrl({
    pkg,
    platform: process.platform,
    arch: process.arch,
    runtime: 'node',
    'tag-prefix': 'v',
  });
  const file = path.join(dir, '_prebuilds', path.basename(util.cachedPrebuild(url)));
  await run('tar', ['czf', file, '-C', sqlite, 'build/Release/better_sqlite3.node']);
  return {
    npm_config_cache: dir,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}
