import { sessionCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { normalizeAddress } from '../policy/normalize-address.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import type { FlowDeps } from './flow-deps.js';
import { isAllowed } from './is-allowed.js';
import { waitText } from './link-failure-page.js';
import { linkUrl, prettyUrl, utcMinute, withoutLinkToken } from './link-url.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { pendingCookieName } from './pending-cookie-name.js';
import { throttle } from './throttle.js';

/**
 * RESPONDER, POST targets.login with an address (SPEC §2.2): checks the
 * address and the access list, mails a single-use link bound to this site and
 * marks this browser as the one that asked (pending cookie).
 */
export async function requestLink(
  deps: FlowDeps,
  req: GateRequest,
  rawAddress: string | undefined,
  /** Already validated: same site as the request. */
  forwardUrl: string,
): Promise<Outcome> {
  const { config, store, clock, random } = deps;
  const forward = withoutLinkToken(forwardUrl, config.keys.query);
  const vars = pageVars(deps, req, forward);
  const normal = normalizeAddress(rawAddress ?? '');
  if (!normal.ok) return page('email_bad', { ...vars, EMAIL: rawAddress ?? '' });
  const address = normal.address;

  for (const [kind, subject] of [
    ['email-ip', req.clientIp],
    ['email-address', address],
  ] as const) {
    const wait = await throttle(deps, kind, subject);
    if (wait > 0) {
      deps.log.info({ event: 'throttled', site: req.host, limit: kind }, 'link request throttled');
      return page('throttled', { ...vars, RETRY_AFTER: waitText(wait) }, { retryAfter: wait });
    }
  }

  const sentVars = { ...vars, EMAIL: address, FROM: config.email.from };
  const sent = page('email_sent', sentVars);
  const listed = await isAllowed(store.acl, req.host, address);
  const existing = listed ? undefined : await store.users.byEmail(address);
  if (!listed || existing?.disabledAt != null) {
    deps.log.info({ event: 'denied', site: req.host, reason: 'not-listed' }, 'address not listed');
    await store.audit.record({ at: clock.now(), event: 'denied', site: req.host, address, ip: req.clientIp });
    return config.privacy.conceal_list ? sent : page('email_not_listed', { ...vars, EMAIL: address });
  }
  const now = clock.now();
  const user = await store.users.findOrCreate(address, now);
  if (user.disabledAt !== null) {
    return config.privacy.conceal_list ? sent : page('email_not_listed', { ...vars, EMAIL: address });
  }

  const secret = newSecret(random);
  const pending = newSecret(random);
  const hash = hashSecret(secret);
  const expiresAt = now + config.state.expiry.query * 1000;
  await store.tokens.insert({
    hash,
    kind: 'link',
    userId: user.id,
    site: req.host,
    createdAt: now,
    expiresAt,
    absoluteExpiresAt: expiresAt,
    forward,
    pendingHash: hashSecret(pending),
  });

  const knockUrl = linkUrl(forward, config.keys.query, secret);
  const mail = deps.pages.mail(
    {
      URL: forward,
      PRETTY_URL: prettyUrl(forward),
      KNOCK_URL: knockUrl,
      DOMAIN: req.host,
      EMAIL: address,
      FROM: config.email.from,
      EXPIRES: utcMinute(expiresAt),
    },
    req.documentRoot,
  );
  try {
    await deps.mailer.send({ to: address, subject: mail.subject, html: mail.html, text: mail.text });
  } catch (error) {
    // Leave no usable link behind a mail that never left (SPEC §2.2, email_failed).
    await store.tokens.remove(hash);
    deps.log.error({ event: 'mail-failed', site: req.host, err: error }, 'could not send the link');
    return page('email_failed', vars);
  }
  deps.log.info({ event: 'link-sent', site: req.host }, 'link sent');
  await store.audit.record({ at: now, event: 'link-sent', site: req.host, address, ip: req.clientIp });
  const cookie = sessionCookie(pendingCookieName(config), pending, {
    maxAgeSeconds: config.state.expiry.query,
    secure: req.scheme === 'https',
  });
  return page('email_sent', sentVars, { setCookies: [cookie] });
}
