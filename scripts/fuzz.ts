/**
 * The full fuzz run (issue 4): at least 100,000 random and mutated FastCGI streams and
 * junk-filled requests against the real daemon, then a summary. Not part of `npm test`
 * (which runs 3,000 of the same cases in test/fuzz/fuzz.test.ts).
 *
 *   npx tsx scripts/fuzz.ts [COUNT] [SEED]      # or FUZZ_COUNT / FUZZ_SEED
 *   npx tsx scripts/fuzz.ts --only 12,345 SEED  # replay single cases of a run
 *
 * Exits 1 when any case broke a rule, the daemon logged a fault, a well-formed
 * request got a wrong answer afterwards, or the heap grew by more than 64 MiB.
 */
import { randomInt } from 'node:crypto';
import { runFuzz } from '../test/fuzz/run-fuzz.js';

const HEAP_LIMIT_BYTES = 64 * 1024 * 1024;

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt === -1 ? undefined : (args.splice(onlyAt, 2)[1] ?? '').split(',').map(Number);
const count = Number(args[0] ?? process.env['FUZZ_COUNT'] ?? 100_000);
const seed = Number(args[1] ?? process.env['FUZZ_SEED'] ?? randomInt(2 ** 32));

process.stdout.write(`fuzzing the daemon: ${only === undefined ? count : only.length} cases, seed ${seed}\n`);
const report = await runFuzz({
  count,
  seed,
  ...(only === undefined ? {} : { only }),
  progress: (done) => {
    if (done % 10_000 === 0) process.stdout.write(`  ${done} cases\n`);
  },
});

const statuses = Object.entries(report.statuses)
  .map(([status, n]) => `${status}:${n}`)
  .join(' ');
const faults = Object.entries(report.faultEvents).map(([event, n]) => `${event}:${n}`);
const heapMiB = (report.heapGrowthBytes / 1024 / 1024).toFixed(1);
const ok =
  report.findings.length === 0 &&
  faults.length === 0 &&
  report.afterwards.length === 0 &&
  report.heapGrowthBytes < HEAP_LIMIT_BYTES;

process.stdout.write(`statuses of HTTP-level cases: ${statuses}\n`);
for (const finding of report.findings.slice(0, 20)) process.stdout.write(`finding ${finding}\n`);
if (report.findings.length > 20)
  process.stdout.write(`... and ${report.findings.length - 20} more findings\n`);
for (const fault of faults) process.stdout.write(`fault logged: ${fault}\n`);
for (const problem of report.afterwards) process.stdout.write(`afterwards: ${problem}\n`);
process.stdout.write(
  `${ok ? 'PASS' : 'FAIL'}: ${report.cases} cases (${report.rawCases} raw FastCGI, ${report.httpCases} HTTP-level, ${report.listenerCases} to the HTTP listener), ` +
    `seed ${seed}, ${report.findings.length} findings, ${faults.length} fault kinds, ` +
    `heap growth ${heapMiB} MiB, well-formed afterwards ${report.afterwards.length === 0 ? 'ok' : 'WRONG'}, ` +
    `${(report.ms / 1000).toFixed(1)} s\n`,
);
process.exitCode = ok ? 0 : 1;
