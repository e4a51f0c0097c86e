import { RawFcgiConnection } from '../support/fcgi-client.js';
import type { FcgiCase } from './fcgi-case.js';

/**
 * Sends one raw case on its own connection. The daemon may answer or close as it
 * likes; what it must not do is keep a connection open once the client has sent
 * everything and half-closed (a leak the count would turn into exhaustion).
 * Returns a description of what went wrong, or undefined.
 */
export async function sendRawCase(
  port: number,
  c: FcgiCase,
  closeTimeoutMs: number,
): Promise<string | undefined> {
  let connection: RawFcgiConnection;
  try {
    connection = await RawFcgiConnection.open(port);
  } catch (error) {
    return `could not connect (${error instanceof Error ? error.message : String(error)})`;
  }
  connection.send(c.bytes);
  if (c.abort) {
    connection.destroy();
    return undefined;
  }
  connection.end();
  try {
    await connection.waitClosed(closeTimeoutMs);
    return undefined;
  } catch {
    connection.destroy();
    return `connection still open ${closeTimeoutMs} ms after the client's FIN (${c.bytes.length} bytes sent)`;
  }
}
