/**
 * The soak's HTTP client: browsers keep their connection to Apache open, so requests go
 * through one keep-alive agent (Apache still opens a connection to the daemon per check).
 * Every answer is kept with its timing, so the checks can place it against the faults.
 */
import { Agent, request, type ClientRequest } from 'node:http';

export type Kind = 'cookie' | 'dead-cookie' | 'anonymous' | 'link-request' | 'open' | 'confirm' | 'logout';

export interface Answer {
  readonly kind: Kind;
  /** Epoch ms when the request was sent and when its answer ended (or failed). */
  readonly start: number;
  readonly end: number;
  /** 0 for a socket error or a timeout. */
  readonly status: number;
  readonly contentType: string;
  /** The error's code for status 0. */
  readonly error?: string;
  /** Session cookie sent, for the stale-answer check. */
  readonly cookie?: string;
  /** Sent on a kept-alive connection, and sent again on a new one after a reset. */
  readonly reused?: boolean;
  readonly resent?: boolean;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface SoakHttp {
  /** One request to the site; never rejects (status 0 on an error). */
  send(
    kind: Kind,
    o: {
      method?: string;
      path: string;
      headers?: Record<string, string>;
      form?: Record<string, string>;
      /** Set on the one repeat of a request whose kept-alive connection was reset. */
      resent?: boolean;
    },
    cookie?: string,
  ): Promise<Reply>;
  readonly answers: Answer[];
  /** Requests sent again after a kept-alive connection was reset before its answer. */
  resent(): number;
  close(): void;
}

/** Longer than any hang the checks allow (5 s), so a hang is seen as one, not as an error. */
const TIMEOUT_MS = 15_000;

export function soakHttp(port: number, host: string): SoakHttp {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const answers: Answer[] = [];
  const authority = `${host}:${String(port)}`;
  let resent = 0;
  const send: SoakHttp['send'] = (kind, o, cookie) => {
    const body = o.form === undefined ? undefined : Buffer.from(new URLSearchParams(o.form).toString());
    const headers: Record<string, string> = { host: authority, ...o.headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(body.length);
      headers.origin = `http://${authority}`;
    }
    const start = Date.now();
    return new Promise<Reply>((resolve) => {
      let req: ClientRequest | undefined = undefined;
      const done = (reply: Reply, error?: string): void => {
        // Apache may close a kept-alive connection just as the next request goes out on it
        // (its KeepAliveTimeout, MaxKeepAliveRequests); a browser sends that request again
        // on a new connection, and so does this client, once.
        if (error !== undefined && req?.reusedSocket === true && RESET.has(error) && !o.resent) {
          resent++;
          resolve(send(kind, { ...o, resent: true }, cookie));
          return;
        }
        const contentType = reply.headers['content-type'];
        answers.push({
          kind,
          start,
          end: Date.now(),
          status: reply.status,
          contentType: typeof contentType === 'string' ? contentType : '',
          ...(error === undefined ? {} : { error }),
          ...(cookie === undefined ? {} : { cookie }),
          ...(req?.reusedSocket === true ? { reused: true } : {}),
          ...(o.resent === true ? { resent: true } : {}),
        });
        resolve(reply);
      };
      req = request(
        {
          host: '127.0.0.1',
          port,
          path: o.path,
          method: o.method ?? 'GET',
          headers,
          // The repeat goes out on a connection of its own, as a browser's does.
          agent: o.resent === true ? false : agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            done({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (error: NodeJS.ErrnoException) =>
            done({ status: 0, headers: {}, body: '' }, error.code ?? error.message),
          );
        },
      );
      req.setTimeout(TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) =>
        done({ status: 0, headers: {}, body: '' }, error.code ?? error.message),
      );
      req.end(body);
    });
  };
  return {
    answers,
    send,
    resent: () => resent,
    close() {
      agent.destroy();
    },
  };
}

const RESET = new Set(['ECONNRESET', 'EPIPE']);

/** The value of cookie `name` among an answer's Set-Cookie lines. */
export function setCookie(reply: Reply, name: string): string | undefined {
  const lines = reply.headers['set-cookie'];
  for (const line of Array.isArray(lines) ? lines : []) {
    const match = /^([^=]+)=([^;]*)/.exec(line);
    if (match?.[1] === name && match[2] !== '') return match[2];
  }
  return undefined;
}

/** A hidden field's value in one of our pages. */
export function formField(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="${name}"`).exec(
    html,
  );
  return match === null ? undefined : (match[1] ?? match[2])?.replace(/&amp;/g, '&');
}
