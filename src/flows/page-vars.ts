import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { Vars } from './ports.js';

/** The variables every page may use: where its form posts, which site, where to go after. */
export function pageVars(deps: FlowDeps, req: GateRequest, forward: string, extra: Vars = {}): Vars {
  return { LOGIN: deps.config.targets.login, DOMAIN: req.host, FORWARD: forward, ...extra };
}
