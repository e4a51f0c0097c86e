import cluster, { type Worker } from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { AppError, type AppErrorCode } from '../errors/app-error.js';

/** What a worker tells the supervisor over the cluster's IPC channel. */
export interface WorkerReport {
  readonly ready?: string;
  readonly error?: string;
  readonly code?: AppErrorCode;
  readonly details?: readonly string[];
}

/** What the supervisor tells a worker: signals would reach it twice after a Ctrl-C to the group. */
export interface WorkerCommand {
  readonly forgetpw: 'stop' | 'reload';
}

export function isWorkerCommand(message: unknown): message is WorkerCommand {
  const m = message as { forgetpw?: unknown } | null;
  return typeof m === 'object' && m !== null && (m.forgetpw === 'stop' || m.forgetpw === 'reload');
}

export interface WorkerPool {
  /** The first worker's ready line ("Running authenticator daemon on ..."). */
  readonly ready: string;
  /** Process ids of the workers running now. */
  pids(): number[];
  /** SIGHUP: each worker re-reads the config file itself. */
  reload(): void;
  /** Asks every worker to finish its requests and exit; SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** A worker that ran this long before dying is replaced at once; one that dies sooner waits. */
const HEALTHY_MS = 10_000;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

/**
 * `workers: N` (issue 18): N processes of this same command share the one port through
 * node's cluster module (the primary accepts and hands connections round-robin), each with
 * its own cache and database pool. Every worker runs the full start-up checks; when one of
 * the first N fails, the others are stopped and the failure is thrown with its code, so the
 * exit status is what one process would have had. Afterwards a worker that dies is logged
 * and replaced, with a growing delay when replacements die young (a database that is down).
 */
export async function superviseWorkers(count: number, log: Logger): Promise<WorkerPool> {
  const live = new Map<number, Worker>();
  let stopping = false;
  // Until the first N are up, a failure ends the start instead of being retried.
  let started = false;
  let backoffMs = 0;

  const fork = (slot: number): Promise<WorkerReport> => {
    const worker = cluster.fork({ FORGETPW_WORKER: String(slot) });
    const startedAt = Date.now();
    live.set(slot, worker);
    return new Promise<WorkerReport>((resolve) => {
      let settled = false;
      worker.on('message', (message: WorkerReport) => {
        if (settled || (message.ready === undefined && message.error === undefined)) return;
        settled = true;
        if (message.ready !== undefined) {
          log.info(
            { event: 'worker-started', worker: slot, pid: worker.process.pid },
            `worker ${slot} ready`,
          );
        }
        resolve(message);
      });
      worker.once('exit', (code, signal) => {
        if (live.get(slot) === worker) live.delete(slot);
        if (!settled) {
          settled = true;
          resolve({ error: `worker ${slot} exited with ${signal ?? `code ${code}`} before it was ready` });
        }
        if (stopping || !started) return;
        log.error(
          { event: 'worker-died', worker: slot, pid: worker.process.pid, code, signal },
          `worker ${slot} (pid ${worker.process.pid ?? '?'}) died with ${signal ?? `code ${code}`}; restarting it`,
        );
        backoffMs =
          Date.now() - startedAt >= HEALTHY_MS
            ? 0
            : Math.min(MAX_BACKOFF_MS, Math.max(FIRST_BACKOFF_MS, backoffMs * 2));
        void sleep(backoffMs).then(() => {
          if (!stopping && !live.has(slot)) void fork(slot);
        });
      });
    });
  };

  const stop = async (graceMs: number): Promise<void> => {
    stopping = true;
    const workers = [...live.values()];
    const exits = workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) resolve();
          else w.once('exit', () => resolve());
        }),
    );
    for (const w of workers) {
      if (w.isConnected()) w.send({ forgetpw: 'stop' } satisfies WorkerCommand);
      else w.process.kill('SIGTERM');
    }
    const all = Promise.all(exits).then(() => true);
    if (!(await Promise.race([all, sleep(graceMs, false, { ref: false })]))) {
      log.error({ event: 'worker-stop-timeout' }, 'workers did not stop in time; killing them');
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
      await all;
    }
  };

  // The workers accept from the one listening socket themselves (a shared handle), instead of
  // node's default on Linux, where the supervisor accepts every connection and passes it to a
  // worker over IPC. Apache opens a connection per check, so round-robin made the supervisor
  // a third process on the hot path of every request, and a connection it had handed to a
  // worker that then died was lost. The kernel's balance between two busy workers is good
  // enough; each worker still caps its own connections (`fastcgi.max_connections`).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const first = await Promise.all(Array.from({ length: count }, (_, i) => fork(i + 1)));
  const failed = first.find((r) => r.error !== undefined);
  if (failed !== undefined) {
    await stop(5_000);
    throw new AppError(failed.code ?? 'INTERNAL', failed.error ?? 'a worker failed to start', {
      details: failed.details ?? [],
    });
  }
  started = true;
  return {
    ready: first[0]?.ready ?? '',
    pids: () => [...live.values()].flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid])),
    reload: () => {
      for (const w of live.values())
        if (w.isConnected()) w.send({ forgetpw: 'reload' } satisfies WorkerCommand);
    },
    stop,
  };
}
