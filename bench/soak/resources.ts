/**
 * What the soak weighs every few seconds: the daemon's RSS and open file descriptors
 * (supervisor and workers together, read from /proc), and the TCP connections in
 * TIME_WAIT on the ports of this run (Apache, the daemon, PostgreSQL, SMTP).
 */
import { readdir, readFile } from 'node:fs/promises';

export interface Sample {
  readonly at: number;
  readonly rssMb: number;
  readonly fds: number;
  readonly timeWait: number;
  readonly pids: readonly number[];
}

/** The supervisor and its children (the workers). */
export async function processTree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8').catch(
    () => '',
  );
  return [pid, ...children.trim().split(/\s+/).filter(Boolean).map(Number)];
}

export async function sampleResources(pid: number, ports: readonly number[]): Promise<Sample> {
  const pids = await processTree(pid);
  let rssKb = 0;
  let fds = 0;
  for (const p of pids) {
    const status = await readFile(`/proc/${String(p)}/status`, 'utf8').catch(() => '');
    rssKb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    fds += (await readdir(`/proc/${String(p)}/fd`).catch(() => [])).length;
  }
  return { at: Date.now(), rssMb: rssKb / 1024, fds, timeWait: await timeWait(ports), pids };
}

/** Sockets in TIME_WAIT (state 06 in /proc/net/tcp) with a local or remote port among `ports`. */
async function timeWait(ports: readonly number[]): Promise<number> {
  const wanted = new Set(ports);
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const table = await readFile(file, 'utf8').catch(() => '');
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '06') continue;
      const port = (address: string | undefined): number => parseInt(address?.split(':')[1] ?? '', 16);
      if (wanted.has(port(fields[1])) || wanted.has(port(fields[2]))) count++;
    }
  }
  return count;
}

/** Mean of each measure over the samples within [from, to). */
export function meanOver(
  samples: readonly Sample[],
  from: number,
  to: number,
): { rssMb: number; fds: number; timeWait: number } {
  const within = samples.filter((s) => s.at >= from && s.at < to);
  const mean = (f: (s: Sample) => number): number =>
    within.length === 0 ? NaN : within.reduce((sum, s) => sum + f(s), 0) / within.length;
  return { rssMb: mean((s) => s.rssMb), fds: mean((s) => s.fds), timeWait: mean((s) => s.timeWait) };
}
