import { fcgiRequest } from './fcgi-client.js';

export interface GateAnswer {
  readonly status: number;
  readonly headers: Array<[string, string]>;
  readonly body: string;
  header(name: string): string | undefined;
  cookies(): string[];
  cookie(name: string): string | undefined;
}

export interface AskOptions {
  readonly host?: string;
  readonly scheme?: 'http' | 'https';
  readonly cookie?: string;
  readonly authorization?: string;
  readonly accept?: string;
  readonly origin?: string;
  readonly secFetchSite?: string;
  readonly remoteAddr?: string;
  readonly extra?: Record<string, string>;
}

/**
 * Speaks to the daemon exactly as Apache does (NOTES §3.3): the CGI variables
 * of mod_authnz_fcgi for `authorize`, those of mod_proxy_fcgi for `post`/`get`.
 */
export function gateClient(port: number) {
  const params = (method: string, uri: string, o: AskOptions): Record<string, string> => {
    const host = o.host ?? 'site.example';
    const q = uri.indexOf('?');
    const p: Record<string, string> = {
      REQUEST_METHOD: method,
      REQUEST_URI: uri,
      QUERY_STRING: q === -1 ? '' : uri.slice(q + 1),
      REQUEST_SCHEME: o.scheme ?? 'http',
      SERVER_PROTOCOL: 'HTTP/1.1',
      HTTP_HOST: host,
      SERVER_NAME: host.replace(/:\d+$/, ''),
      SERVER_PORT: '80',
      REMOTE_ADDR: o.remoteAddr ?? '192.0.2.10',
      REMOTE_PORT: '50000',
      DOCUMENT_ROOT: '/nonexistent-docroot',
      GATEWAY_INTERFACE: 'CGI/1.1',
    };
    if (o.cookie !== undefined) p.HTTP_COOKIE = o.cookie;
    if (o.authorization !== undefined) p.HTTP_AUTHORIZATION = o.authorization;
    if (o.accept !== undefined) p.HTTP_ACCEPT = o.accept;
    if (o.origin !== undefined) p.HTTP_ORIGIN = o.origin;
    if (o.secFetchSite !== undefined) p.HTTP_SEC_FETCH_SITE = o.secFetchSite;
    return { ...p, ...o.extra };
  };
  const answer = (r: { status: number; headers: Array<[string, string]>; body: Buffer }): GateAnswer => ({
    status: r.status,
    headers: r.headers,
    body: r.body.toString('utf8'),
    header: (name) => r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
    cookies: () => r.headers.filter(([n]) => n.toLowerCase() === 'set-cookie').map(([, v]) => v),
    cookie: (name) => {
      for (const [n, v] of r.headers) {
        if (n.toLowerCase() !== 'set-cookie') continue;
        const m = /^([^=]+)=([^;]*)/.exec(v);
        if (m?.[1] === name) return m[2];
      }
      return undefined;
    },
  });
  const request = async (method: string, uri: string, o: AskOptions = {}): Promise<GateAnswer> =>
    answer(
      await fcgiRequest({
        port,
        role: 'responder',
        params: params(method, uri, o),
        stdin: Buffer.alloc(0),
      }),
    );
  return {
    /**
     * What a browser does after the POST that mailed a link (issue 15): follows its 303 to the
     * sent page, carrying the pending cookie it set (and `o.cookie`, if given, before it).
     */
    followSent: async (
      posted: GateAnswer,
      o: AskOptions = {},
      cookieName = 'forgetpw_link',
    ): Promise<GateAnswer> => {
      const location = posted.header('Location');
      const pending = posted.cookie(cookieName);
      if (posted.status !== 303 || location === undefined || pending === undefined) {
        throw new Error(
          `expected a 303 with a pending cookie, got ${posted.status}: ${posted.body.slice(0, 300)}`,
        );
      }
      const url = new URL(location);
      const cookie = [o.cookie, `${cookieName}=${pending}`].filter((c) => c !== undefined).join('; ');
      return request('GET', url.pathname + url.search, { ...o, cookie });
    },
    /** AUTHORIZER: Apache asks about `uri` (no body, FCGI_ROLE=AUTHORIZER). */
    authorize: async (uri: string, o: AskOptions = {}): Promise<GateAnswer> =>
      answer(
        await fcgiRequest({
          port,
          role: 'authorizer',
          params: {
            FCGI_ROLE: 'AUTHORIZER',
            FCGI_APACHE_ROLE: 'AUTHENTICATOR',
            HTTP_CONNECTION: 'close',
            ...params('GET', uri, o),
          },
        }),
      ),
    /** RESPONDER: a form POST proxied by mod_proxy_fcgi. */
    post: async (
      uri: string,
      form: Record<string, string> | string,
      o: AskOptions = {},
    ): Promise<GateAnswer> => {
      const body = Buffer.from(typeof form === 'string' ? form : new URLSearchParams(form).toString());
      return answer(
        await fcgiRequest({
          port,
          role: 'responder',
          params: {
            ...params('POST', uri, o),
            CONTENT_TYPE: 'application/x-www-form-urlencoded',
            CONTENT_LENGTH: String(body.length),
          },
          stdin: body,
        }),
      );
    },
    /** RESPONDER with another method. */
    request,
  };
}

export type GateClient = ReturnType<typeof gateClient>;
