import { hashSecret } from '../tokens/hash-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import type { FlowDeps } from './flow-deps.js';
import { utcMinute } from './link-url.js';
import type { User } from '../policy/user.js';
import { phrases } from './phrases.js';
import { siteName } from './site-name.js';

/** The query parameter of a reveal link (on `targets.account`). */
export const REVEAL_KEY = 'reveal';

export interface AppPasswordRequest {
  readonly user: User;
  /** Host the password works on; '' for every site the person may see. */
  readonly site: string;
  readonly label: string;
  readonly lifetimeSeconds: number;
  /** `scheme://authority` the reveal link is built on; its host is where the link works. */
  readonly origin: string;
  /** Host of `origin`, lower case, without port. */
  readonly revealSite: string;
  /** Language of the reveal mail: the asking browser's (English from the CLI). */
  readonly language?: string;
}

export type IssueDeps = Pick<FlowDeps, 'config' | 'store' | 'mailer' | 'pages' | 'clock' | 'random'>;

export interface Issued {
  readonly id: string;
  readonly revealUrl: string;
  readonly revealExpiresAt: number;
  /** The reveal link's own secret (only for `token create --print`, which uses it at once). */
  readonly revealSecret: string;
}

/**
 * Makes an app password's record and its single-use reveal link (SPEC §10). The
 * password itself does not exist yet: it is made when the link is used, so neither
 * the admin nor the database ever holds it.
 */
export async function createAppPassword(deps: IssueDeps, request: AppPasswordRequest): Promise<Issued> {
  const { config, store, clock, random } = deps;
  const now = clock.now();
  const id = random.bytes(6).toString('hex');
  const revealSecret = newSecret(random);
  const revealExpiresAt = now + config.app_passwords.reveal_expiry * 1000;
  await store.appPasswords.create({
    id,
    userId: request.user.id,
    site: request.site,
    label: request.label,
    createdAt: now,
    expiresAt: now + request.lifetimeSeconds * 1000,
    revealHash: hashSecret(revealSecret),
    revealSite: request.revealSite,
    revealExpiresAt,
  });
  const revealUrl = `${request.origin}${config.targets.account}?${REVEAL_KEY}=${revealSecret}`;
  return { id, revealUrl, revealExpiresAt, revealSecret };
}

/** Mails the reveal link to the person's own address: the mailbox is the proof of identity. */
export async function mailRevealLink(
  deps: IssueDeps,
  request: AppPasswordRequest,
  issued: Issued,
  documentRoot: string | undefined,
): Promise<void> {
  const language = request.language ?? 'en';
  const mail = deps.pages.mail(
    {
      DOMAIN: request.revealSite,
      SITE_NAME: siteName(deps.config, request.revealSite),
      SITE: request.site === '' ? phrases(language).everySiteYouMayUse : request.site,
      EMAIL: request.user.email,
      LABEL: request.label,
      REVEAL_URL: issued.revealUrl,
      EXPIRES: utcMinute(issued.revealExpiresAt, language),
      ACCOUNT_URL: `${request.origin}${deps.config.targets.account}`,
      FROM: deps.config.email.from,
    },
    documentRoot,
    'reveal_email',
    { language, host: request.revealSite },
  );
  await deps.mailer.send({ to: request.user.email, subject: mail.subject, html: mail.html, text: mail.text });
}
