import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { GateHandler } from '../app/handle-request.js';
import type { AnswerStyle } from '../app/present.js';
import type { Config } from '../config/config.js';
import type { GateResponse } from '../http/gate-response.js';
import { isTrustedProxy } from '../app/trusted-proxy-check.js';
import { negotiateLanguage } from '../http/negotiate-language.js';
import { queryParam } from '../http/query.js';
import { PAGE_HEADERS } from '../http/security-headers.js';
import { nameStaticPage } from '../templates/name-static-page.js';
import { fromProxiedRequest, proxiedHeaders, type ProxiedRequest } from './from-proxied-request.js';

/**
 * The daemon's own paths on the HTTP listener (not on the site): `/auth` answers a forward-auth
 * check for the browser (Caddy, Traefik, nginx's page location), `/auth-request` one for nginx
 * `auth_request` (2xx or 401 only). Every other path is the site's own request, proxied as is:
 * the login, logout and account targets, and the logged-out pages.
 */
export const CHECK_PATH = '/auth';
export const AUTH_REQUEST_PATH = '/auth-request';

export interface HttpListenerOptions {
  readonly config: Config;
  readonly log: Logger;
  /** targets.logout_one / logout_all -> the static page served there, by language (`<?var $SITE_NAME?>` in it). */
  readonly staticPages: ReadonlyMap<string, StaticPage>;
  /** The name a static page gives the request's host: for the gate's sites only, else none. */
  readonly siteNameOf?: (host: string) => Promise<string | undefined>;
  /** Largest request body read (a login form is a few hundred bytes). */
  readonly maxBodyBytes?: number;
}

export interface HttpListener {
  listen(port: number, host: string): Promise<{ host: string; port: number }>;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive connections. */
  close(): Promise<void>;
  readonly inFlight: number;
}

const MAX_BODY = 64 * 1024;
const NO_BODY = Buffer.alloc(0);

/**
 * A thin HTTP/1.1 adapter over the same handler as the FastCGI port (issue 13). Bounded: headers
 * (node's 16 KiB), body, time to send headers and the whole request; keep-alive connections are
 * kept open longer than nginx's upstream keepalive_timeout (60 s) so nginx never reuses one the
 * daemon has just closed.
 */
/** A logged-out page in each language it exists in; `fallback` names the one every file has. */
export interface StaticPage {
  readonly fallback: string;
  readonly byLanguage: ReadonlyMap<string, string>;
}

export function createHttpListener(handle: GateHandler, options: HttpListenerOptions): HttpListener {
  const { config, log, staticPages } = options;
  const maxBody = options.maxBodyBytes ?? MAX_BODY;
  const trustedProxies = config.http.trusted_proxies;
  const isTrusted = (ip: string): boolean => isTrustedProxy(trustedProxies, ip);
  const asCheck = { isTrustedProxy: isTrusted, check: true };
  const asPage = { isTrustedProxy: isTrusted, check: false };
  const responderPaths = new Set([config.targets.login, config.targets.logout, config.targets.account]);
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const finished = (): void => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };

  const answer = (res: ServerResponse, response: GateResponse): void => {
    // Flat name/value pairs, as they are: node writes them without a dictionary (Set-Cookie may repeat).
    const headers: string[] = [];
    for (const [name, value] of response.headers) headers.push(name, value);
    headers.push('content-length', String(response.body.length));
    res.writeHead(response.status, headers);
    // No body, no second chunk: the head goes out in one write instead of a writev of two.
    res.end(res.req.method === 'HEAD' || response.body.length === 0 ? undefined : response.body);
  };

  const failed = (res: ServerResponse, error: unknown): void => {
    log.error({ event: 'http-answer-failed', err: error }, 'could not answer');
    res.destroy();
  };

  /** An answer at hand is written at once; a check decided from the cache needs no promise. */
  const send = (res: ServerResponse, response: GateResponse | Promise<GateResponse>): void | Promise<void> =>
    response instanceof Promise ? response.then((ready) => answer(res, ready)) : answer(res, response);

  const servePage = async (
    res: ServerResponse,
    page: StaticPage,
    proxied: ProxiedRequest,
    headers: Readonly<Record<string, string>>,
  ): Promise<void> => {
    // Shown to anyone, whatever the host; it names the host only when that is one of our sites.
    const { host } = fromProxiedRequest('responder', proxied, asPage);
    const name = await options.siteNameOf?.(host);
    // The languages the page exists in, in templates.languages order; else its English.
    const offered = config.templates.languages.filter((l) => page.byLanguage.has(l));
    const asked = negotiateLanguage(headers['accept-language'] ?? '', offered);
    const language = page.byLanguage.has(asked) ? asked : page.fallback;
    answer(res, {
      status: 200,
      headers: [
        ['Content-Type', 'application/xhtml+xml; charset=utf-8'],
        ['Content-Language', language],
        ['Vary', 'Accept-Language'],
        ...PAGE_HEADERS,
      ],
      body: Buffer.from(nameStaticPage(page.byLanguage.get(language)!, name)),
    });
  };

  const serve = (
    req: IncomingMessage,
    res: ServerResponse,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
  ): void | Promise<void> => {
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = mark === -1 ? target : target.slice(0, mark);
    const proxied: ProxiedRequest = {
      method: req.method ?? 'GET',
      target,
      headers,
      peer: req.socket.remoteAddress ?? '',
      body,
    };
    const page = staticPages.get(path);
    if (page !== undefined) return servePage(res, page, proxied, headers);
    const check = path === CHECK_PATH || path === AUTH_REQUEST_PATH;
    if (!check && !responderPaths.has(path)) {
      // Not the daemon's: the same 404 page the FastCGI responder gives.
      const request = fromProxiedRequest('responder', proxied, asPage);
      return send(
        res,
        handle('responder', () => request, 'forward-auth'),
      );
    }
    const role = check ? 'authorizer' : 'responder';
    const request = fromProxiedRequest(role, proxied, check ? asCheck : asPage);
    // nginx cannot pass a redirect or a cookie out of a subrequest: a link is left unspent there,
    // and redeemed by the page request the example's `error_page 401` makes.
    if (
      path === AUTH_REQUEST_PATH &&
      request.headers.authorization === undefined &&
      queryParam(request.query, config.keys.query) !== undefined
    ) {
      answer(res, { status: 401, headers: [...PAGE_HEADERS], body: Buffer.alloc(0) });
      return;
    }
    const style: AnswerStyle = path === AUTH_REQUEST_PATH ? 'auth-request' : 'forward-auth';
    return send(
      res,
      handle(role, () => request, style),
    );
  };

  const server: Server = createServer(
    { maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 75_000 },
    (req, res) => {
      inFlight++;
      res.on('close', finished);
      // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3):
      // every check is one, and is answered without waiting for the stream's end.
      const headers = proxiedHeaders(req.rawHeaders);
      const bodiless = headers['content-length'] === undefined && headers['transfer-encoding'] === undefined;
      if (!bodiless) {
        readBody(req, maxBody)
          .then(
            (body) => (body === undefined ? tooLarge(res) : serve(req, res, headers, body)),
            (error: unknown) => {
              log.warn({ event: 'http-request-aborted', err: error }, 'request body not read');
              res.destroy();
            },
          )
          .catch((error: unknown) => failed(res, error));
        return;
      }
      try {
        const answered = serve(req, res, headers, NO_BODY);
        if (answered instanceof Promise) answered.catch((error: unknown) => failed(res, error));
      } catch (error) {
        failed(res, error);
      }
    },
  );
  // A malformed request line or header gets node's 400 and a closed connection (never a crash).
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && error.code !== 'ECONNRESET') {
      const status =
        error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    } else socket.destroy();
  });

  return {
    get inFlight() {
      return inFlight;
    },
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

function tooLarge(res: ServerResponse): void {
  res.writeHead(413, { connection: 'close', 'content-length': '0' }).end();
}

/** The whole body, or undefined past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
