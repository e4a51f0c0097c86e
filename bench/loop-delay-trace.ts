/**
 * A trace of what holds a daemon's event loop up, for the steady-rate rows (issue 18): loaded
 * into each bench daemon with
 *
 *   npm run bench -- --quick --only steady-cookie --steady-seconds 20 \
 *     "--daemon-node-options=--import tsx --import ./bench/loop-delay-trace.ts"
 *
 * it appends one line per daemon every 5 s to $FORGETPW_LOOP_TRACE (default
 * /tmp/forgetpw-loop-trace.txt): the event loop's delay (p50, p99, max, sampled every
 * millisecond by node's own monitor) and the collector's pauses in that window (count, total,
 * and each one over a millisecond with its kind: 1 minor, 4 major, 8 incremental marking). The
 * daemons that get no traffic are the control: what they show is the machine, not the gate.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const file = process.env['FORGETPW_LOOP_TRACE'] ?? '/tmp/forgetpw-loop-trace.txt';
const WINDOW_MS = 5000;
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let pauses: Array<{ at: number; ms: number; kind: number }> = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>)
    pauses.push({ at: entry.startTime, ms: entry.duration, kind: entry.detail?.kind ?? 0 });
}).observe({ entryTypes: ['gc'] });

const ms = (ns: number): string => (ns / 1e6).toFixed(2);
setInterval(() => {
  const long = pauses.filter((p) => p.ms > 1).map((p) => `${p.ms.toFixed(1)}(${String(p.kind)})`);
  const total = pauses.reduce((sum, p) => sum + p.ms, 0);
  appendFileSync(
    file,
    `pid ${String(process.pid)} t=${(performance.now() / 1000).toFixed(0)}s loop delay p50 ${ms(delay.percentile(50))} ` +
      `p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms; gc ${String(pauses.length)} pauses, ` +
      `${total.toFixed(1)} ms; over 1 ms: ${long.join(' ')}\n`,
  );
  delay.reset();
  pauses = [];
}, WINDOW_MS).unref();
