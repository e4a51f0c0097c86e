import type { BenchCase } from './bench-case.js';
import type { CpuPerRequest, Measurement } from './measurement.js';
import { cpuSeconds } from './process-cpu.js';

/** Runs one measurement of `bench` and charges the CPU its processes used to its requests. */
export async function measureWithCpu(bench: BenchCase, seconds: number): Promise<Measurement> {
  const { daemonPid, daemonWorkers, apachePid, client } = bench.cpu;
  const daemonBefore = daemonPid === undefined ? 0 : cpuSeconds(daemonPid, daemonWorkers);
  const apacheBefore = apachePid === undefined ? 0 : cpuSeconds(apachePid, true);
  const clientBefore = process.cpuUsage();
  const m = await bench.measure(seconds);
  const perRequest = (cpuSecondsUsed: number): number => (cpuSecondsUsed * 1e6) / Math.max(1, m.requests);
  const clientUsed = process.cpuUsage(clientBefore);
  const cpuUs: CpuPerRequest = {
    ...(daemonPid === undefined
      ? {}
      : { daemon: perRequest(cpuSeconds(daemonPid, daemonWorkers) - daemonBefore) }),
    ...(apachePid === undefined ? {} : { apache: perRequest(cpuSeconds(apachePid, true) - apacheBefore) }),
    ...(client === true ? { client: perRequest((clientUsed.user + clientUsed.system) / 1e6) } : {}),
  };
  return { ...m, cpuUs };
}
