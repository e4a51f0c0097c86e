import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { Vars } from './vars.js';
import { siteName } from './site-name.js';

/**
 * The variables every page may use: where its form posts, which site (`DOMAIN`, the host;
 * `SITE_NAME`, the name people know it by), where to go after, and `EMAIL` ('' unless known).
 */
export function pageVars(deps: FlowDeps, req: GateRequest, forward: string, extra: Vars = {}): Vars {
  return {
    LOGIN: deps.config.targets.login,
    DOMAIN: req.host,
    SITE_NAME: siteName(deps.config, req.host),
    FORWARD: forward,
    EMAIL: '',
    ...extra,
  };
}
