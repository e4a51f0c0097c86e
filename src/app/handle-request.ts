import type { FcgiHandler, FcgiInput } from '../fastcgi/server.js';
import { authorize } from '../flows/authorize.js';
import { authorizeNow } from '../flows/authorize-now.js';
import type { FlowDeps } from '../flows/flow-deps.js';
import type { Outcome } from '../flows/outcome.js';
import { respond } from '../flows/respond.js';
import { fromCgiParams } from '../http/from-cgi.js';
import type { GateRequest } from '../http/gate-request.js';
import type { GateResponse } from '../http/gate-response.js';
import type { GateMetrics } from '../metrics/gate-metrics.js';
import { isDatabaseDown } from '../store/is-database-down.js';
import { databaseDownLog } from './database-down-log.js';
import { present, presentAllow, renderPage, type AnswerStyle } from './present.js';
import { isTrustedProxy } from './trusted-proxy-check.js';

const LAST_RESORT: GateResponse = {
  status: 500,
  headers: [['Content-Type', 'text/plain; charset=utf-8']],
  body: Buffer.from('The login service failed. Please try again later.\n'),
};

/**
 * One request as a protocol adapter hands it over: how to build it (may throw), and who reads the
 * answer. A check decided from the reads at hand is answered at once, without a promise.
 */
export type GateHandler = (
  role: GateRequest['role'],
  build: () => GateRequest,
  style: AnswerStyle,
) => GateResponse | Promise<GateResponse>;

/**
 * The one boundary per request: whatever a flow throws becomes a 500 (or 503
 * when the database is away) page and one log line. Fail closed: an error can
 * never produce an authorizer 200. Every answer is counted in `metrics`, if given.
 */
export function createGateHandler(deps: FlowDeps, metrics?: GateMetrics): GateHandler {
  const { config, pages, log } = deps;
  const logDown = databaseDownLog(log);

  const answered = (
    role: GateRequest['role'],
    req: GateRequest,
    outcome: Outcome,
    response: GateResponse,
    started: number,
  ): GateResponse => {
    const seconds = (performance.now() - started) / 1000;
    metrics?.answered(role, req.path, outcome, seconds);
    if (log.isLevelEnabled('debug')) {
      const ms = seconds * 1000;
      log.debug({ event: 'request', role, path: req.path, status: response.status, ms }, 'request');
    }
    return response;
  };

  const failed = async (
    role: GateRequest['role'],
    req: GateRequest | undefined,
    style: AnswerStyle,
    started: number,
    error: unknown,
  ): Promise<GateResponse> => {
    const down = isDatabaseDown(error);
    metrics?.failed(role, down, (performance.now() - started) / 1000);
    if (down) logDown({ role, path: req?.path }, error);
    else log.error({ event: 'request-failed', role, path: req?.path, err: error }, 'request failed');
    if (req === undefined) return LAST_RESORT;
    try {
      return await renderPage(
        config,
        pages,
        req,
        down ? 'unavailable' : 'default_500',
        { LOGIN: config.targets.login, DOMAIN: req.host },
        [],
        undefined,
        style === 'auth-request' ? 'forward-auth' : style,
      );
    } catch {
      return LAST_RESORT;
    }
  };

  const decide = async (
    role: GateRequest['role'],
    req: GateRequest,
    style: AnswerStyle,
    started: number,
  ): Promise<GateResponse> => {
    try {
      const outcome = role === 'authorizer' ? await authorize(deps, req) : await respond(deps, req);
      return answered(role, req, outcome, await present(config, pages, req, outcome, style), started);
    } catch (error) {
      return failed(role, req, style, started, error);
    }
  };

  return (role, build, style) => {
    const started = performance.now();
    let req: GateRequest | undefined;
    try {
      req = build();
      const now = role === 'authorizer' ? authorizeNow(deps, req) : undefined;
      if (now?.kind === 'allow')
        return answered(role, req, now, presentAllow(config, req, now, style), started);
    } catch (error) {
      return failed(role, req, style, started, error);
    }
    return decide(role, req, style, started);
  };
}

/**
 * The FastCGI adapter's handler. lighttpd's authorizer mode names itself in SERVER_SOFTWARE and
 * needs its answers shaped differently from Apache's (see AnswerStyle).
 */
export function createRequestHandler(
  deps: FlowDeps,
  metrics?: GateMetrics,
  handle: GateHandler = createGateHandler(deps, metrics),
): FcgiHandler {
  const { trusted_proxies: trustedProxies } = deps.config;
  return (input: FcgiInput): GateResponse | Promise<GateResponse> => {
    const software = input.params.get('SERVER_SOFTWARE');
    const style = software !== undefined && software.startsWith('lighttpd') ? 'lighttpd' : 'apache';
    return handle(
      input.role,
      () =>
        fromCgiParams(input.role, input.params, input.stdin, {
          isTrustedProxy: (ip) => isTrustedProxy(trustedProxies, ip),
          bodyTooLarge: input.stdinTooLarge,
        }),
      style,
    );
  };
}
