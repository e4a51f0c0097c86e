import type { BenchReport } from './bench-report.js';
import { formatTable } from './format-table.js';

const us = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(0));
const ratio = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(2));

/** The human-readable report: setting, table, targets, writes, memory, profiles. */
export function printReport(r: BenchReport): string {
  const { environment: env, settings: s } = r;
  const lines: string[] = [
    `forgetpw bench: ${String(env.cpus)} x ${env.cpuModel}, ${String(env.memoryGb)} GB, ` +
      `load ${env.loadAverage.toFixed(2)} at start`,
    `${env.node}, ${env.apache}, ${env.wrk}, ${env.kernel}`,
    `wrk -t1 -c${String(s.connections)}, ${String(s.rounds)} rounds x ${String(s.seconds)} s, ` +
      'medians; ratios within rounds',
    `valid-cookie cases rotate over ${String(s.sample)} sessions; cache ttl ${String(s.cacheTtl)} s ` +
      'unless "cache off"',
    "CPU µs/req: CPU time (user + system) each side spent per request, from /proc; wrk's own is not counted; " +
      'the "Apache" column is the front server (nginx on the nginx rows), "daemon" the authorizer',
    `steady rows: hey -c 10 at ${String(s.steadyRate)} req/s in all for ${String(s.steadySeconds)} s, one cookie`,
    ...(s.daemonNodeOptions === null ? [] : [`daemons ran with NODE_OPTIONS=${s.daemonNodeOptions}`]),
    ...((s.daemonNodeFlags ?? []).length === 0
      ? []
      : [`daemons ran with node ${s.daemonNodeFlags!.join(' ')}`]),
    '',
    formatTable(
      [
        'case',
        'req/s',
        'p50 ms',
        'p99 ms',
        'vs static',
        'vs Basic',
        'CPU µs/req: daemon',
        'Apache',
        'FastCGI client',
        'bad',
      ],
      r.cases.map((c) => [
        c.label,
        c.rps.toFixed(0),
        c.p50.toFixed(2),
        c.p99.toFixed(2),
        ratio(c.vsStatic),
        ratio(c.vsBasic),
        us(c.cpuUs.daemon),
        us(c.cpuUs.apache),
        us(c.cpuUs.client),
        String(c.failures),
      ]),
    ),
    '',
    formatTable(
      ['target', 'measured', 'met'],
      r.targets.map((t) => [t.target, t.measured, t.met === undefined ? '-' : t.met ? 'yes' : 'NO']),
    ),
    '',
    `database writes during the runs: ${r.writes.map((w) => `${w.store} ${String(w.rows)}`).join(', ')}`,
    `daemon memory (MB, RSS/anonymous/peak): ${Object.entries(r.memory)
      .map(([name, m]) => `${name} ${m.rssMb.toFixed(0)}/${m.anonMb.toFixed(0)}/${m.peakMb.toFixed(0)}`)
      .join(', ')}`,
    `seeding (s): ${Object.entries(r.seedSeconds)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
      .join(', ')}`,
  ];
  for (const [name, summary] of Object.entries(r.profiles ?? {})) {
    const share = (rows: ReadonlyArray<{ name: string; percent: number }>): string[][] =>
      rows.map((a) => [a.name, a.percent.toFixed(1)]);
    lines.push(
      '',
      `CPU profile of daemon "${name}" (busy ${summary.busyPercent.toFixed(0)}% of samples):`,
      formatTable(['stage', '% busy'], share(summary.stages)),
      '',
      formatTable(['area (self time)', '% busy'], share(summary.areas)),
      '',
      formatTable(['function (self time)', '% busy'], share(summary.functions)),
    );
  }
  return lines.join('\n');
}
