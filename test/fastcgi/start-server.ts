import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import {
  createFcgiServer,
  type FcgiHandler,
  type FcgiServer,
  type FcgiServerOptions,
} from '../../src/fastcgi/server.js';

/** A server on an ephemeral 127.0.0.1 port, closed when the current test finishes. */
export async function startServer(
  handler: FcgiHandler,
  options: Partial<FcgiServerOptions> = {},
): Promise<{ server: FcgiServer; port: number }> {
  const server = createFcgiServer(handler, { log: pino({ level: 'silent' }), ...options });
  const { port } = await server.listen(0, '127.0.0.1');
  onTestFinished(() => server.close());
  return { server, port };
}
