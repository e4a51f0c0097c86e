import { readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { checkSession } from './check-session.js';
import { durationText } from './duration-text.js';
import type { FlowDeps } from './flow-deps.js';
import { findLinkRequest } from './find-link-request.js';
import { utcMinute } from './link-url.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { phrases } from './phrases.js';
import { requestLanguage } from './request-language.js';
import type { LinkRequest } from '../tokens/link-request.js';
import type { Vars } from './vars.js';
import { requestGonePage } from './request-gone-page.js';

/**
 * RESPONDER, GET `targets.login?sent=1` (issue 15, item 5): the "check your e-mail" page of this
 * browser's request, with the field for the mailed code. The POST that mailed the link answers
 * 303 here, so a reload shows the page again and sends nothing.
 */
export async function sentPage(deps: FlowDeps, req: GateRequest): Promise<Outcome> {
  const found = await findLinkRequest(deps, req);
  const home = `${req.scheme}://${req.authority}/`;
  if (found.kind === 'none') {
    // Back to the sent page after the link or the code logged this browser in (which cleared the
    // pending cookie): nothing is waiting, so on to the site rather than a form.
    const secret = readCookie(req.headers.cookie, deps.config.keys.cookie);
    const session = secret === undefined ? undefined : await checkSession(deps, req, secret, 'cookie');
    if (session?.kind === 'ok') return { kind: 'see-other', location: home, setCookies: [] };
  }
  if (found.kind !== 'live') return requestGonePage(deps, req, found, home);
  return page('email_sent', sentVars(deps, req, found.request));
}

/** What the sent page (and the wrong-code page, which is that page again) shows. */
export function sentVars(deps: FlowDeps, req: GateRequest, request: LinkRequest): Vars {
  const { config } = deps;
  const { limits } = config;
  const left = Math.max(1, Math.ceil((request.expiresAt - deps.clock.now()) / 1000));
  // Worded in the language the page is rendered in (present() negotiates the same one).
  const language = requestLanguage(config, req);
  return pageVars(deps, req, request.forward, {
    EMAIL: request.address,
    FROM: config.email.from,
    EXPIRES: utcMinute(request.expiresAt, language),
    EXPIRES_IN: durationText(left, language),
    LIMITS:
      limits.email_per_address > 0
        ? phrases(language).limits(limits.email_per_address, durationText(limits.window, language, true))
        : '',
  });
}
