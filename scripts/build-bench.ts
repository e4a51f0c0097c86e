/**
 * Bundles one bench script the way `npm run build` bundles the daemon (esbuild, no `keepNames`),
 * into dist/bench/, and prints where. Run through tsx, the same code allocates more: tsx keeps
 * function names by wrapping every closure, which a per-check allocation count would then include.
 * Usage: node --import tsx scripts/build-bench.ts bench/in-process.ts
 */
import path from 'node:path';
import { build } from 'esbuild';

const repo = path.resolve(import.meta.dirname, '..');
const entry = process.argv[2];
if (entry === undefined) throw new Error('usage: build-bench.ts BENCH-SCRIPT');
const outfile = path.join(repo, 'dist', 'bench', `${path.basename(entry, '.ts')}.js`);
await build({
  entryPoints: [path.resolve(repo, entry)],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
process.stdout.write(`${outfile}\n`);
