import type { FcgiHandler, FcgiInput } from '../fastcgi/server.js';
import { authorize } from '../flows/authorize.js';
import type { FlowDeps } from '../flows/flow-deps.js';
import { respond } from '../flows/respond.js';
import { fromCgiParams } from '../http/from-cgi.js';
import type { GateRequest } from '../http/gate-request.js';
import type { GateResponse } from '../http/gate-response.js';
import type { GateMetrics } from '../metrics/gate-metrics.js';
import { isDatabaseDown } from '../store/is-database-down.js';
import { present, renderPage } from './present.js';
import { isTrustedProxy } from './trusted-proxy-check.js';

const LAST_RESORT: GateResponse = {
  status: 500,
  headers: [['Content-Type', 'text/plain; charset=utf-8']],
  body: Buffer.from('The login service failed. Please try again later.\n'),
};

/**
 * The one boundary per request: whatever a flow throws becomes a 500 (or 503
 * when the database is away) page and one log line. Fail closed: an error can
 * never produce an authorizer 200. Every answer is counted in `metrics`, if given.
 */
export function createRequestHandler(deps: FlowDeps, metrics?: GateMetrics): FcgiHandler {
  const { config, pages, log } = deps;
  return async (input: FcgiInput): Promise<GateResponse> => {
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    let req: GateRequest | undefined;
    try {
      req = fromCgiParams(input.role, input.params, input.stdin, {
        isTrustedProxy: (ip) => isTrustedProxy(config.trusted_proxies, ip),
      });
      const outcome = input.role === 'authorizer' ? await authorize(deps, req) : await respond(deps, req);
      const response = present(config, pages, req, outcome);
      metrics?.answered(input.role, req.path, outcome, seconds());
      if (log.isLevelEnabled('debug')) {
        const ms = seconds() * 1000;
        log.debug(
          { event: 'request', role: input.role, path: req.path, status: response.status, ms },
          'request',
        );
      }
      return response;
    } catch (error) {
      const down = isDatabaseDown(error);
      metrics?.failed(input.role, down, seconds());
      log.error(
        { event: down ? 'database-down' : 'request-failed', role: input.role, path: req?.path, err: error },
        down ? 'the database is unavailable' : 'request failed',
      );
      if (req === undefined) return LAST_RESORT;
      try {
        return renderPage(config, pages, req, down ? 'unavailable' : 'default_500', {
          LOGIN: config.targets.login,
          DOMAIN: req.host,
        });
      } catch {
        return LAST_RESORT;
      }
    }
  };
}
