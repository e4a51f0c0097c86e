/**
 * The daemon's own FastCGI server with nothing behind it: `createFcgiServer` (the connection,
 * the record parser, the params, the answer's encoding) and a handler that allows every check
 * with the headers the daemon sends for a valid cookie. Beside the node floor it shows what our
 * connection handling costs; beside the daemon, what the flows and the cache cost. Usage: PORT.
 */
import pino from 'pino';
import { createFcgiServer } from '../../src/fastcgi/server.js';
import type { GateResponse } from '../../src/http/gate-response.js';

const [port] = process.argv.slice(2);
const ALLOW: GateResponse = {
  status: 200,
  headers: [['Variable-REMOTE_USER', 'someone@example.org']],
  body: Buffer.alloc(0),
};

const server = createFcgiServer(() => ALLOW, { log: pino({ level: 'warn' }) });
await server.listen(Number(port), '127.0.0.1');
console.log('listening');
// A clean exit on SIGTERM, so that `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
