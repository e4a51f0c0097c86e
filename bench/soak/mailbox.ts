/**
 * The SMTP sink of test/support, made stoppable for the soak's mail outage: `stop()` closes
 * it (the daemon's next connection is refused), `start()` brings a new one back on the same
 * port. Messages of every incarnation stay in one list, and each can be claimed once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startSmtpSink, type Received, type SmtpSink } from '../../test/support/smtp-sink.js';

export interface Mailbox {
  readonly port: number;
  /** Every message accepted, oldest first. */
  all(): Received[];
  /** The first unclaimed message to `to`, waiting up to `timeoutMs` for it. */
  claim(to: string, timeoutMs: number): Promise<Received | undefined>;
  /** Messages to `to` nobody claimed (a second mail for one request shows here). */
  unclaimed(): Received[];
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  let sink: SmtpSink | undefined = await startSmtpSink();
  const port = sink.port;
  // Every incarnation, closed ones too: a message accepted while its sink was closing counts.
  const sinks: SmtpSink[] = [sink];
  const claimed = new Set<Received>();
  const all = (): Received[] => sinks.flatMap((s) => s.messages);
  const isTo = (message: Received, to: string): boolean =>
    message.to.some((address) => address.toLowerCase() === to.toLowerCase());
  const stop = async (): Promise<void> => {
    const current = sink;
    sink = undefined;
    await current?.close();
  };
  return {
    port,
    all,
    async claim(to, timeoutMs) {
      for (const end = Date.now() + timeoutMs; ;) {
        const message = all().find((m) => !claimed.has(m) && isTo(m, to));
        if (message !== undefined) {
          claimed.add(message);
          return message;
        }
        if (Date.now() >= end) return undefined;
        await sleep(25);
      }
    },
    unclaimed: () => all().filter((m) => !claimed.has(m)),
    stop,
    async start() {
      if (sink !== undefined) return;
      sink = await startSmtpSink({ port });
      sinks.push(sink);
    },
    close: stop,
  };
}
