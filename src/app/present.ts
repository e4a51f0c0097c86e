import type { Config } from '../config/config.js';
import type { Outcome } from '../flows/outcome.js';
import type { Pages } from '../flows/pages.js';
import type { Vars } from '../flows/vars.js';
import type { GateRequest } from '../http/gate-request.js';
import type { GateResponse } from '../http/gate-response.js';
import { requestLanguage } from '../flows/request-language.js';
import { siteName } from '../flows/site-name.js';
import { requestUrlWithout } from '../http/request-url.js';
import { PAGE_HEADERS, pageHeaders } from '../http/security-headers.js';
import { STATES, type StateName } from '../templates/states.js';

type Header = readonly [string, string];
const EMPTY = Buffer.alloc(0);

/** The page headers follow the config (its transform and templates.csp): built once per Config. */
const headersOf = new WeakMap<Config, readonly Header[]>();
function headersFor(config: Config): readonly Header[] {
  let headers = headersOf.get(config);
  if (headers === undefined) {
    // A stylesheet the daemon applies is fetched by nobody: the policy names no XSLT origin then.
    const { transform, transform_on: on, csp } = config.templates;
    headers = pageHeaders({ transform: on === 'client' ? transform : undefined, extra: csp });
    headersOf.set(config, headers);
  }
  return headers;
}

/**
 * Who reads an authorizer's answer, and so what shape it takes (the responder's is the same for all):
 * - `apache`: mod_authnz_fcgi. A 200 carries `Variable-*` and Set-Cookie; pages name their type in
 *   `Variable-<vars.type>` (Apache overrides Content-Type); a redeemed link's clean URL goes in
 *   `Variable-<vars.redirect>` for the example's rewrite rule.
 * - `lighttpd`: mod_fastcgi in authorizer mode (issue 13). It drops every header of a 200 except
 *   `Variable-*`, but passes a non-200 answer with its headers: so a redeemed link answers 307 with
 *   the cookie itself, and pages carry Content-Type.
 * - `forward-auth`: the HTTP listener answering Caddy `forward_auth`, Traefik `ForwardAuth` or nginx's
 *   page location: the answer goes to the browser unless it is a 2xx, whose identity headers go to
 *   the app and whose other headers are dropped; so the same as lighttpd, with `http.*_header`.
 * - `auth-request`: nginx `auth_request` subrequests, which accept 2xx, 401 and 403 only and show no
 *   body: 2xx with the identity (and a Set-Cookie the example copies), anything else 401, which the
 *   example's `error_page 401` turns into a `forward-auth` request for the page.
 */
export type AnswerStyle = 'apache' | 'lighttpd' | 'forward-auth' | 'auth-request';

const UNAUTHORIZED: GateResponse = { status: 401, headers: [...PAGE_HEADERS], body: EMPTY };

/**
 * Turns a flow's outcome into the answer Apache expects from each role
 * (NOTES §3.5-3.7): an authorizer's 200 carries only `Variable-*` and
 * Set-Cookie; its error pages carry the real content type in
 * `Variable-<vars.type>` because Apache overrides Content-Type on them.
 */
export async function present(
  config: Config,
  pages: Pages,
  req: GateRequest,
  outcome: Outcome,
  style: AnswerStyle = 'apache',
): Promise<GateResponse> {
  if (style === 'auth-request' && req.role === 'authorizer' && outcome.kind !== 'allow') return UNAUTHORIZED;
  switch (outcome.kind) {
    case 'allow':
      if (req.role !== 'authorizer')
        return renderPage(config, pages, req, 'default_500', {}, [], undefined, style);
      return presentAllow(config, req, outcome, style);
    case 'see-other': {
      if (req.role !== 'responder') return renderPage(config, pages, req, 'default_500', {});
      const headers: Header[] = [
        ['Location', outcome.location],
        ['Content-Type', 'text/plain; charset=utf-8'],
        ...headersFor(config),
      ];
      for (const cookie of outcome.setCookies) headers.push(['Set-Cookie', cookie]);
      if (outcome.headers !== undefined) headers.push(...outcome.headers);
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
        style,
      );
  }
}

/** An authorizer's allowing answer, in the shape its reader takes (no page, so no promise). */
export function presentAllow(
  config: Config,
  req: GateRequest,
  outcome: Extract<Outcome, { kind: 'allow' }>,
  style: AnswerStyle,
): GateResponse {
  if (style !== 'apache') return allowOverHttp(config, req, outcome, style);
  const headers: Header[] = [[`Variable-${config.vars.user}`, outcome.principal]];
  if (outcome.redirect !== undefined) headers.push([`Variable-${config.vars.redirect}`, outcome.redirect]);
  for (const cookie of outcome.setCookies) headers.push(['Set-Cookie', cookie]);
  return { status: 200, headers, body: EMPTY };
}

/**
 * An allowing answer for readers that drop a 200's Set-Cookie (lighttpd, Caddy, Traefik): when there
 * is a cookie to deliver (a redeemed link, a slid session on a GET), 307 to the page itself carries it
 * and takes the token out of the address bar; the next request then passes with the cookie.
 */
function allowOverHttp(
  config: Config,
  req: GateRequest,
  outcome: Extract<Outcome, { kind: 'allow' }>,
  style: Exclude<AnswerStyle, 'apache'>,
): GateResponse {
  const again = req.method === 'GET' || req.method === 'HEAD' ? req.uri : undefined;
  const location = outcome.redirect ?? (outcome.setCookies.length > 0 ? again : undefined);
  if (location !== undefined && style !== 'auth-request') {
    const headers: Header[] = [
      ['Location', location],
      ['Content-Type', 'text/plain; charset=utf-8'],
      ...headersFor(config),
    ];
    for (const cookie of outcome.setCookies) headers.push(['Set-Cookie', cookie]);
    return { status: 307, headers, body: Buffer.from('Redirecting...\n') };
  }
  // nginx cannot redirect from a subrequest; the adapter never lets a link get this far (it answers 401).
  if (outcome.redirect !== undefined) return UNAUTHORIZED;
  const headers: Header[] =
    style === 'lighttpd'
      ? [[`Variable-${config.vars.user}`, outcome.principal]]
      : [
          [config.http.user_header, outcome.principal],
          [config.http.email_header, outcome.principal],
        ];
  if (style === 'auth-request') for (const cookie of outcome.setCookies) headers.push(['Set-Cookie', cookie]);
  return { status: 200, headers, body: EMPTY };
}

export async function renderPage(
  config: Config,
  pages: Pages,
  req: GateRequest,
  state: StateName,
  vars: Vars,
  setCookies: readonly string[] = [],
  retryAfter?: number,
  style: AnswerStyle = 'apache',
): Promise<GateResponse> {
  let status: number = STATES[state].status;
  // An authorizer's 200 lets the request through: a page there must never be 200.
  if (req.role === 'authorizer' && status === 200) status = 500;
  // Every page names the site (title and heading), whichever flow made it (issue 15).
  const named: Vars = { DOMAIN: req.host, SITE_NAME: siteName(config, req.host), EMAIL: '', ...vars };
  const rendered = await pages.serve(state, named, {
    accept: req.headers.accept ?? '',
    documentRoot: req.documentRoot,
    base: requestUrlWithout(req, config.keys.query),
    language: requestLanguage(config, req),
    host: req.host,
  });
  const headers: Header[] =
    req.role === 'authorizer' && style === 'apache'
      ? [[`Variable-${config.vars.type}`, rendered.contentType]]
      : [['Content-Type', rendered.contentType]];
  // The body depends on both negotiations; Content-Language names the file's, not the asked-for, language.
  headers.push(['Content-Language', rendered.language], ['Vary', 'Accept, Accept-Language']);
  headers.push(...headersFor(config));
  if (retryAfter !== undefined) headers.push(['Retry-After', String(retryAfter)]);
  for (const cookie of setCookies) headers.push(['Set-Cookie', cookie]);
  return { status, headers, body: rendered.body };
}
