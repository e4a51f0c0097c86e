import type nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

type TransportOptions = Parameters<typeof nodemailer.createTransport>[0];

export interface LazyTransport {
  /** The transporter, made (and nodemailer loaded) on the first call. */
  get(): Promise<Transporter>;
  /** Closes the transporter if one was made. */
  close(): void;
}

/**
 * A nodemailer transporter made when the first message goes out. nodemailer is a
 * tenth of an idle daemon's heap, and most checks never send mail (issue 5: RSS).
 */
export function lazyTransport(options: TransportOptions): LazyTransport {
  let made: Promise<Transporter> | undefined;
  let transporter: Transporter | undefined;
  return {
    get() {
      made ??= import('nodemailer').then(({ createTransport }) => (transporter = createTransport(options)));
      return made;
    },
    close() {
      transporter?.close();
    },
  };
}
