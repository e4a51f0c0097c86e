import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message the sink accepted, parsed back as a mail client would. */
export interface Received {
  /** Address in the From header. */
  readonly from: string;
  /** Envelope recipients (RCPT TO), as the client sent them. */
  readonly to: string[];
  /** Envelope sender (MAIL FROM). */
  readonly mailFrom: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The message as it came over the wire. */
  readonly raw: string;
  /** Header fields by lower-case name; the first occurrence wins. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface SmtpSink {
  readonly port: number;
  /** Every accepted message, oldest first. */
  readonly messages: Received[];
  /**
   * The oldest message not yet returned by next() (to `to` if given), waiting for it to
   * arrive if need be; rejects after `timeoutMs` (default 5000).
   */
  next(to?: string, timeoutMs?: number): Promise<Received>;
  /** Rejects the next message at the end of DATA with this SMTP reply code. */
  failNext(code: number): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Require AUTH with exactly these credentials. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Reject every message at the end of DATA with this code. */
  readonly failWith?: number;
  /** Listen on this port instead of a free one (to bring a stopped sink back where it was). */
  readonly port?: number;
}

interface Waiter {
  readonly to: string | undefined;
  readonly resolve: (message: Received) => void;
  readonly reject: (error: Error) => void;
}

/** An SMTP server on 127.0.0.1 with an ephemeral port, for tests (TESTING.md "Mail"). */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: Received[] = [];
  const taken = new Set<Received>();
  const waiters = new Set<Waiter>();
  let failNextWith: number | undefined;

  const matches = (message: Received, to: string | undefined): boolean =>
    to === undefined || message.to.some((address) => address.toLowerCase() === to.toLowerCase());

  const accept = (message: Received): void => {
    messages.push(message);
    for (const waiter of waiters) {
      if (matches(message, waiter.to)) {
        waiters.delete(waiter);
        taken.add(message);
        waiter.resolve(message);
        return;
      }
    }
  };

  const onData = (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const code = failNextWith ?? options.failWith;
      failNextWith = undefined;
      if (code !== undefined) {
        callback(Object.assign(new Error('rejected by the test sink'), { responseCode: code }));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      parse(raw, session).then(
        (message) => {
          accept(message);
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    });
  };

  const server = new SMTPServer({
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      if (expected !== undefined && auth.username === expected.user && auth.password === expected.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onData,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    messages,
    next(to, timeoutMs = 5000) {
      const ready = messages.find((message) => !taken.has(message) && matches(message, to));
      if (ready !== undefined) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise<Received>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no mail${to === undefined ? '' : ` to ${to}`} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          to,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    failNext(code) {
      failNextWith = code;
    },
    close() {
      for (const waiter of waiters) waiter.reject(new Error('the sink closed'));
      waiters.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function parse(raw: string, session: SMTPServerSession): Promise<Received> {
  const email = await PostalMime.parse(raw);
  const headers: Record<string, string> = {};
  for (const header of email.headers) headers[header.key] ??= header.value;
  const { mailFrom, rcptTo } = session.envelope;
  return {
    from: email.from?.address ?? '',
    to: rcptTo.map((recipient) => recipient.address),
    mailFrom: mailFrom === false ? '' : mailFrom.address,
    subject: email.subject ?? '',
    text: email.text ?? '',
    html: email.html ?? '',
    raw,
    headers,
  };
}
