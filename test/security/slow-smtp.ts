import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SlowSmtp {
  readonly port: number;
  /** Envelope recipients of every accepted message, in order of acceptance. */
  readonly recipients: string[];
  close(): Promise<void>;
}

/**
 * An SMTP server that takes `delayMs` to accept each message: a slow relay, which
 * makes any mail sent on the request path show in the request's timing.
 */
export async function startSlowSmtp(delayMs: number): Promise<SlowSmtp> {
  const recipients: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        setTimeout(() => {
          for (const rcpt of session.envelope.rcptTo) recipients.push(rcpt.address);
          callback();
        }, delayMs);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, recipients, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
