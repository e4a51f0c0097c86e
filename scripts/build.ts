/**
 * `npm run build`: bundles the CLI into dist/src/main.js (plus one chunk per lazily
 * loaded verb or module, so `--help` still loads only what it needs). Node resolves
 * and reads every file of a package one by one: before the bundle, `forgetpw
 * privilege -l` read 586 files (lodash alone 255) and spent most of its start-up in
 * the module loaders (issue 5: CLI commands answer in under 300 ms). Type checking is
 * `npm run typecheck`'s job; esbuild only strips the types.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const repo = path.resolve(import.meta.dirname, '..');
const outdir = path.join(repo, 'dist', 'src');

/**
 * Left to node_modules: native or optional drivers, the database drivers knex names but
 * we do not use, and packages that find files of their own next to their code (pino's
 * transport worker) or are loaded only now and then (mail, metrics).
 */
const EXTERNAL = [
  'better-sqlite3',
  'pg',
  'pg-native',
  'pg-query-stream',
  'sqlite3',
  'mysql',
  'mysql2',
  'oracledb',
  'tedious',
  'mariadb',
  'mariadb/*',
  'pino',
  'nodemailer',
  'prom-client',
];

await rm(path.join(repo, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [path.join(repo, 'src', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  // Bundled CommonJS (knex) calls require() for the externals above; ESM has none of its own.
  banner: {
    js: "import { createRequire as __forgetpwCreateRequire } from 'node:module';\nconst require = __forgetpwCreateRequire(import.meta.url);",
  },
  // Less text for V8 to parse at every start (about 1.4 MB instead of 2 MB for the shared
  // chunk, 5 to 10% of a command's CPU). Names stay, so stack traces still name functions;
  // `node --enable-source-maps` maps them back to the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
