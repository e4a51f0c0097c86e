import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { RequestLookup } from './find-link-request.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';

/** The page when this browser has no live link request: each offers a new mail. */
export function requestGonePage(
  deps: FlowDeps,
  req: GateRequest,
  lookup: Exclude<RequestLookup, { kind: 'live' }>,
  /** Where to go on when the request does not say. */
  forward: string,
): Outcome {
  switch (lookup.kind) {
    case 'none':
      // A code typed in another browser, or after the pending cookie went: nothing happens (SPEC §11).
      return page('code_none', pageVars(deps, req, forward));
    case 'expired':
      return page(
        'knock_expired',
        pageVars(deps, req, lookup.request.forward, { EMAIL: lookup.request.address }),
      );
    case 'ended':
      return page(
        'code_ended',
        pageVars(deps, req, lookup.request.forward, { EMAIL: lookup.request.address }),
      );
  }
}
