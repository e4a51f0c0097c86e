import { clearCookie, readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { isLive } from '../tokens/is-live.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import type { FlowDeps } from './flow-deps.js';
import type { Outcome } from './outcome.js';

/**
 * RESPONDER, POST targets.logout (SPEC §2.2): revokes this browser's session
 * server-side, or every session of its user when `all`; always clears the
 * cookie and sends the browser to the matching logged-out page. Only a live
 * session acts: an old (revoked, expired) cookie, stolen or not, ends nothing,
 * so it cannot log its owner out everywhere again and again.
 */
export async function logout(deps: FlowDeps, req: GateRequest, all: boolean): Promise<Outcome> {
  const { config, store, clock } = deps;
  const now = clock.now();
  const secret = readCookie(req.headers.cookie, config.keys.cookie);
  if (secret !== undefined && isWellFormedSecret(secret)) {
    const hash = hashSecret(secret);
    const view = await store.tokens.session(hash);
    if (
      view !== undefined &&
      view.token.kind === 'session' &&
      view.token.site === req.host &&
      isLive(view.token, now)
    ) {
      if (all) await store.tokens.revokeUser(view.user.id, now);
      else await store.tokens.revoke(hash, now);
      deps.log.info({ event: 'logout', site: req.host, all }, 'logged out');
      await store.audit.record({
        at: now,
        event: all ? 'logout-all' : 'logout',
        site: req.host,
        address: view.user.email,
        ip: req.clientIp,
      });
    }
  }
  const target = all ? config.targets.logout_all : config.targets.logout_one;
  return {
    kind: 'see-other',
    // A path is on this site; an absolute URL (the original allowed one) is used as it is.
    location: target.startsWith('/') ? `${req.scheme}://${req.authority}${target}` : target,
    setCookies: [clearCookie(config.keys.cookie, { secure: req.scheme === 'https' })],
    // Pages the browser kept from the protected area must not come back with "Back" (issue 15).
    headers: [['Clear-Site-Data', '"cache"']],
  };
}
