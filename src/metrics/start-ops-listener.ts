import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AppError } from '../errors/app-error.js';
import type { Readiness } from './readiness-check.js';

export interface OpsListener {
  readonly host: string;
  readonly port: number;
  /** From now on /readyz answers 503 (the daemon is draining); /healthz still 200. */
  markStopping(): void;
  close(): Promise<void>;
}

export interface OpsListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: () => Promise<Readiness>;
  readonly log: Logger;
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * The operator's port (metrics.listen): GET /healthz (the process runs),
 * /readyz (it can serve: database answers, schema current) and /metrics
 * (Prometheus text format). Nothing else, and nothing secret: the metrics carry
 * no label from a request, and readiness reasons are fixed phrases.
 */
export async function startOpsListener(options: OpsListenerOptions): Promise<OpsListener> {
  const { registry, readiness, log } = options;
  let stopping = false;
  let wasReady: boolean | undefined;

  const readyz = async (res: ServerResponse): Promise<void> => {
    const state: Readiness = stopping ? { ready: false, reason: 'shutting down' } : await readiness();
    if (state.ready !== wasReady) {
      // Logged on changes only: probes come every few seconds.
      if (state.ready) log.info({ event: 'ready' }, 'ready');
      else log.warn({ event: 'not-ready', reason: state.reason, err: state.cause }, 'not ready');
      wasReady = state.ready;
    }
    send(res, state.ready ? 200 : 503, TEXT, state.ready ? 'ready\n' : `not ready: ${state.reason}\n`);
  };

  const routes: Readonly<Record<string, (res: ServerResponse) => Promise<void> | void>> = {
    '/healthz': (res) => send(res, 200, TEXT, 'ok\n'),
    '/readyz': readyz,
    '/metrics': async (res) => send(res, 200, registry.contentType, await registry.metrics()),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      send(res, 404, TEXT, 'not found\n');
      return;
    }
    Promise.resolve(route(res)).catch((error: unknown) => {
      log.error({ event: 'ops-failed', path, err: error }, 'ops endpoint failed');
      if (!res.headersSent) send(res, 500, TEXT, 'internal error\n');
      else res.destroy();
    });
  });

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException): void => {
      const where = `${options.host}:${options.port}`;
      const why = error.code ?? error.message;
      reject(new AppError('INTERNAL', `cannot listen on metrics.listen ${where} (${why})`, { cause: error }));
    };
    server.once('error', refused);
    server.listen(options.port, options.host, () => {
      server.off('error', refused);
      resolve(server.address() as AddressInfo);
    });
  });
  server.on('error', (error) => log.error({ event: 'ops-server-error', err: error }, 'ops listener error'));
  log.info({ event: 'ops-listening', host: address.address, port: address.port }, 'ops listener up');

  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    markStopping: () => {
      stopping = true;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers keep connections alive; nothing they wait for is worth finishing.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
