import { connect } from 'node:net';
import type { ListenerCase } from './listener-case.js';

/** Pages the listener serves to anyone, whatever the host: they hold nothing (the logged-out pages). */
const PUBLIC_PATHS = new Set(['/logged-out', '/logged-out-all']);

/**
 * Sends one case on its own connection and reads until the daemon closes. It may refuse as it
 * likes; it must close, never answer 5xx, never let a request without a session through, and
 * never answer 200 for a host that is no site. Returns what went wrong, or undefined.
 */
export function sendListenerCase(
  port: number,
  c: ListenerCase,
  closeTimeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`connection still open ${closeTimeoutMs} ms after the request (${c.bytes.length} bytes)`);
    }, closeTimeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after a refusal is the daemon's right; only what it answered is judged.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(judge(Buffer.concat(chunks).toString('latin1'), c));
    });
    // Not a half-close at once: the daemon may drop a request whose client has gone (fair), and
    // then its answer could not be judged. A request that waits for more bytes gets the FIN later.
    socket.write(c.bytes);
    const finish = setTimeout(() => socket.end(), 500);
    socket.once('close', () => clearTimeout(finish));
  });
}

function judge(answer: string, c: ListenerCase): string | undefined {
  if (answer === '') return undefined;
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(answer)?.[1];
  if (status === undefined) return `not an HTTP answer: ${JSON.stringify(answer.slice(0, 60))}`;
  const code = Number(status);

  if (code >= 500) return `answered ${code}`;
  if (code === 200 && (c.path === '/auth' || c.path === '/auth-request')) return 'junk was let in';
  if (code === 200 && c.unknownSite && !PUBLIC_PATHS.has(c.path ?? '')) {
    return `answered 200 for a host that is no site (${c.path ?? 'junk request line'})`;
  }
  return undefined;
}
