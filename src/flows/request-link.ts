import { sessionCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { normalizeAddress } from '../policy/normalize-address.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { formatCode } from '../tokens/format-code.js';
import { hashCode } from '../tokens/hash-code.js';
import { newCode } from '../tokens/new-code.js';
import { newSecret } from '../tokens/new-secret.js';
import { durationText, waitText } from './duration-text.js';
import { siteName } from './site-name.js';
import { addressRules } from './address-rules.js';
import type { FlowDeps } from './flow-deps.js';
import { isAllowed } from './is-allowed.js';
import { issueLink } from './issue-link.js';
import { prettyUrl, utcMinute, withoutLinkToken } from './link-url.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { pendingCookieName } from './pending-cookie-name.js';
import { requestLanguage } from './request-language.js';
import { throttle } from './throttle.js';

type Delivery = 'sent' | 'not-listed' | 'ended' | 'failed';

/**
 * RESPONDER, POST targets.login with an address (SPEC §2.2): checks the
 * address and the access list, mails a single-use link bound to this site and
 * marks this browser as the one that asked (pending cookie), which the mail's one-time
 * code is bound to (SPEC §11). A mailed link answers 303 to the sent page (issue 15). With
 * `privacy.conceal_list` every valid address gets the same answer at once and
 * the work happens after it, so neither page nor timing tells who is listed.
 */
export async function requestLink(
  deps: FlowDeps,
  req: GateRequest,
  rawAddress: string | undefined,
  /** Already validated: same site as the request. */
  forwardUrl: string,
): Promise<Outcome> {
  const { config } = deps;
  const forward = withoutLinkToken(forwardUrl, config.keys.query);
  const vars = pageVars(deps, req, forward);
  // The page and the mail speak the asking browser's language; the link remembers it.
  const language = requestLanguage(config, req);
  // Refused before any mail is built: `a%evil.test@example.org` and `evil.test!a@example.org`
  // are routes to another mailbox (issue 10). The identity is one per mailbox: `bob+x@` is bob.
  const normal = normalizeAddress(rawAddress ?? '', addressRules(config));
  if (!normal.ok) return page('email_bad', { ...vars, EMAIL: rawAddress ?? '' });
  const address = normal.address;

  for (const kind of ['email-ip', 'email-address', 'email-address-total'] as const) {
    const wait = await throttle(deps, kind, { ip: req.clientIp, address });
    if (wait > 0) {
      deps.log.info({ event: 'throttled', site: req.host, limit: kind }, 'link request throttled');
      return page('throttled', { ...vars, RETRY_AFTER: waitText(wait, language) }, { retryAfter: wait });
    }
  }

  const { clock, random, store } = deps;
  const pending = newSecret(random);
  const code = newCode(random);
  const pendingHash = hashSecret(pending);
  const now = clock.now();
  // Written before any answer, for every valid address: the sent page (a GET, so a reload
  // mails nothing) and the code field read it, concealed list or not (issue 15, issue 16).
  await store.linkRequests.insert({
    pendingHash,
    site: req.host,
    address,
    forward,
    codeHash: hashCode(pending, code),
    createdAt: now,
    expiresAt: now + config.state.expiry.query * 1000,
  });
  const sent: Outcome = {
    kind: 'see-other',
    // No secret in the URL: the pending cookie says which request the page is about.
    location: `${req.scheme}://${req.authority}${config.targets.login}?sent=1`,
    setCookies: [
      sessionCookie(pendingCookieName(config), pending, {
        maxAgeSeconds: config.state.expiry.query,
        secure: req.scheme === 'https',
      }),
    ],
  };
  const order: LinkRequestOrder = { address, forward, pendingHash, code, now, language };
  if (config.privacy.conceal_list) {
    deps.defer(async () => {
      await deliverLink(deps, req, order);
    });
    return sent;
  }
  switch (await deliverLink(deps, req, order)) {
    case 'sent':
      return sent;
    case 'not-listed':
      return page('email_not_listed', { ...vars, EMAIL: address });
    case 'ended':
      return page('no_user', { ...vars, EMAIL: address });
    case 'failed':
      return page('email_failed', { ...vars, EMAIL: address });
  }
}

/** One request for a link, as deliverLink needs it. */
interface LinkRequestOrder {
  readonly address: string;
  readonly forward: string;
  /** The hash of the asking browser's pending cookie, which the link remembers. */
  readonly pendingHash: string;
  /** The one-time code, ungrouped. */
  readonly code: string;
  /** When the request came: the link's and the code's lifetimes count from it. */
  readonly now: number;
  /** The asking browser's language: the mail's, remembered on the link. */
  readonly language: string;
}

async function deliverLink(deps: FlowDeps, req: GateRequest, order: LinkRequestOrder): Promise<Delivery> {
  const { config, store, clock, random } = deps;
  const { address, forward, now, language } = order;
  const listed = await isAllowed(store.acl, req.host, address);
  const known = listed ? await store.users.findOrCreate(address, clock.now()) : undefined;
  if (known === undefined || known.disabledAt !== null) {
    deps.log.info({ event: 'denied', site: req.host, reason: 'not-listed' }, 'address not listed');
    await store.audit.record({ at: clock.now(), event: 'denied', site: req.host, address, ip: req.clientIp });
    // A disabled person, or one whose own address was revoked here (`privilege -r`), is told their
    // access ended rather than that the site does not know them (issue 15).
    if (known !== undefined) return 'ended';
    const revoked = (await store.acl.find([req.host, ''], [address])).some((row) => !row.allow);
    return revoked ? 'ended' : 'not-listed';
  }

  const { hash, url, expiresAt } = await issueLink(store.tokens, random, {
    userId: known.id,
    site: req.host,
    forward,
    // The link opens the gate's own target, never the page itself: a page outside the
    // protected area would leave the live token in its logs and Referers (issue 10, item 5).
    ...(config.knock.opens === 'target'
      ? { opens: `${req.scheme}://${req.authority}${config.targets.login}` }
      : {}),
    queryKey: config.keys.query,
    lifetimeSeconds: config.state.expiry.query,
    now,
    pendingHash: order.pendingHash,
    language,
  });
  const mail = deps.pages.mail(
    {
      URL: forward,
      PRETTY_URL: prettyUrl(forward),
      KNOCK_URL: url,
      DOMAIN: req.host,
      SITE_NAME: siteName(config, req.host),
      EMAIL: address,
      FROM: config.email.from,
      EXPIRES: utcMinute(expiresAt, language),
      EXPIRES_IN: durationText(config.state.expiry.query, language),
      CODE: formatCode(order.code),
    },
    // A per-site mail template could send every token elsewhere: only when allowed (issue 10).
    config.templates.site_mail ? req.documentRoot : undefined,
    'email',
    { language, host: req.host },
  );
  try {
    await deps.mailer.send({
      to: address,
      fromName: siteName(config, req.host),
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
    });
  } catch (error) {
    // Leave no usable link behind a mail that never left (SPEC §2.2, email_failed).
    await store.tokens.remove(hash);
    deps.log.error({ event: 'mail-failed', site: req.host, err: error }, 'could not send the link');
    return 'failed';
  }
  deps.log.info({ event: 'link-sent', site: req.host }, 'link sent');
  try {
    await store.audit.record({ at: now, event: 'link-sent', site: req.host, address, ip: req.clientIp });
  } catch (error) {
    // The mail is out and its link works: the page must say so. Answering "unavailable" here
    // (the database gone between the mail and this row) sent the person a second link when
    // they tried again, and the first one stayed usable (soak, issue 18).
    deps.log.error({ event: 'audit-failed', site: req.host, err: error }, 'could not record the sent link');
  }
  return 'sent';
}
