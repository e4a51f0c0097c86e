import type { GateRequest } from '../http/gate-request.js';
import { durationText } from './duration-text.js';
import type { FlowDeps } from './flow-deps.js';
import { findLinkRequest } from './find-link-request.js';
import { utcMinute } from './link-url.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import type { LinkRequest, Vars } from './ports.js';
import { requestGonePage } from './request-gone-page.js';

/**
 * RESPONDER, GET `targets.login?sent=1` (issue 15, item 5): the "check your e-mail" page of this
 * browser's request, with the field for the mailed code. The POST that mailed the link answers
 * 303 here, so a reload shows the page again and sends nothing.
 */
export async function sentPage(deps: FlowDeps, req: GateRequest): Promise<Outcome> {
  const found = await findLinkRequest(deps, req);
  if (found.kind !== 'live') return requestGonePage(deps, req, found, `${req.scheme}://${req.authority}/`);
  return page('email_sent', sentVars(deps, req, found.request));
}

/** What the sent page (and the wrong-code page, which is that page again) shows. */
export function sentVars(deps: FlowDeps, req: GateRequest, request: LinkRequest): Vars {
  const { config } = deps;
  const { limits } = config;
  const left = Math.max(1, Math.ceil((request.expiresAt - deps.clock.now()) / 1000));
  return pageVars(deps, req, request.forward, {
    EMAIL: request.address,
    FROM: config.email.from,
    EXPIRES: utcMinute(request.expiresAt),
    EXPIRES_IN: durationText(left),
    LIMITS:
      limits.email_per_address > 0
        ? `You can ask for up to ${limits.email_per_address} links every ${durationText(limits.window)}.`
        : '',
  });
}
