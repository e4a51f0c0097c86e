/**
 * CPU time (user + system) of processes, from /proc: with wrk, Apache and node sharing two
 * cores, and other work on the machine, "CPU per request" of each side varies far less than
 * requests per second and says where the time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; 100 per second on every common build (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

interface Stat {
  readonly ppid: number;
  readonly seconds: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by `pid` and, when `withChildren`, its live children (Apache's workers). */
export function cpuSeconds(pid: number, withChildren = false): number {
  let total = stat(pid)?.seconds ?? 0;
  if (!withChildren) return total;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const child = stat(Number(name));
    if (child?.ppid === pid) total += child.seconds;
  }
  return total;
}
