import type { Config } from '../config/config.js';
import type { Outcome } from '../flows/outcome.js';
import type { Pages, Vars } from '../flows/ports.js';
import type { GateRequest } from '../http/gate-request.js';
import type { GateResponse } from '../http/gate-response.js';
import { requestUrlWithout } from '../http/request-url.js';
import { pageHeaders } from '../http/security-headers.js';
import { STATES, type StateName } from '../templates/states.js';

type Header = readonly [string, string];
const EMPTY = Buffer.alloc(0);

/** The page headers follow the config (its transform and templates.csp): built once per Config. */
const headersOf = new WeakMap<Config, readonly Header[]>();
function headersFor(config: Config): readonly Header[] {
  let headers = headersOf.get(config);
  if (headers === undefined) {
    headers = pageHeaders({ transform: config.templates.transform, extra: config.templates.csp });
    headersOf.set(config, headers);
  }
  return headers;
}

/**
 * Turns a flow's outcome into the answer Apache expects from each role
 * (NOTES §3.5-3.7): an authorizer's 200 carries only `Variable-*` and
 * Set-Cookie; its error pages carry the real content type in
 * `Variable-<vars.type>` because Apache overrides Content-Type on them.
 */
export function present(config: Config, pages: Pages, req: GateRequest, outcome: Outcome): GateResponse {
  switch (outcome.kind) {
    case 'allow': {
      if (req.role !== 'authorizer') return renderPage(config, pages, req, 'default_500', {});
      const headers: Header[] = [[`Variable-${config.vars.user}`, outcome.principal]];
      if (outcome.redirect !== undefined)
        headers.push([`Variable-${config.vars.redirect}`, outcome.redirect]);
      for (const cookie of outcome.setCookies) headers.push(['Set-Cookie', cookie]);
      return { status: 200, headers, body: EMPTY };
    }
    case 'see-other': {
      if (req.role !== 'responder') return renderPage(config, pages, req, 'default_500', {});
      const headers: Header[] = [
        ['Location', outcome.location],
        ['Content-Type', 'text/plain; charset=utf-8'],
        ...headersFor(config),
      ];
      for (const cookie of outcome.setCookies) headers.push(['Set-Cookie', cookie]);
      return { status: 303, headers, body: Buffer.from('Redirecting...\n') };
    }
    case 'page':
      return renderPage(
        config,
        pages,
        req,
        outcome.state,
        outcome.vars,
        outcome.setCookies,
        outcome.retryAfter,
      );
  }
}

export function renderPage(
  config: Config,
  pages: Pages,
  req: GateRequest,
  state: StateName,
  vars: Vars,
  setCookies: readonly string[] = [],
  retryAfter?: number,
): GateResponse {
  let status: number = STATES[state].status;
  // An authorizer's 200 lets the request through: a page there must never be 200.
  if (req.role === 'authorizer' && status === 200) status = 500;
  const rendered = pages.page(state, vars, {
    accept: req.headers.accept ?? '',
    documentRoot: req.documentRoot,
    base: requestUrlWithout(req, config.keys.query),
  });
  const headers: Header[] =
    req.role === 'authorizer'
      ? [[`Variable-${config.vars.type}`, rendered.contentType]]
      : [['Content-Type', rendered.contentType]];
  headers.push(...headersFor(config));
  if (retryAfter !== undefined) headers.push(['Retry-After', String(retryAfter)]);
  for (const cookie of setCookies) headers.push(['Set-Cookie', cookie]);
  return { status, headers, body: rendered.body };
}
