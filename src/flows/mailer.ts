export interface MailMessage {
  readonly to: string;
  /** Display name for a bare `email.from` (the site's name), so the mail does not come from a robot. */
  readonly fromName?: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface Mailer {
  /** Resolves when the transport accepted the message; rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  /** Checks the transport (SMTP connect) without sending; used by `check`. */
  verify(): Promise<void>;
  close(): void;
}
