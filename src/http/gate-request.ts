/**
 * One request as the gate sees it, whatever protocol brought it (FastCGI today,
 * an HTTP forward-auth adapter later). Built by `fromCgiParams`; pure data.
 */
export type Role = 'authorizer' | 'responder';

export interface GateRequest {
  readonly role: Role;
  /** Upper-case method, e.g. GET. */
  readonly method: string;
  /** From REQUEST_SCHEME (Apache sends no HTTPS variable to authorizers: NOTES G10). */
  readonly scheme: 'http' | 'https';
  /** The site: lower-case host name without port, from Host (or SERVER_NAME). */
  readonly host: string;
  /** Host as the client wrote it, with a port when not the default one; used to build URLs. */
  readonly authority: string;
  /** REQUEST_URI as received (raw, undecoded, with query). */
  readonly uri: string;
  /** Path part of `uri` (raw). */
  readonly path: string;
  /** Query part of `uri` without '?', raw ('' when none). */
  readonly query: string;
  /** Lower-case header name -> value (latin1-decoded, as CGI delivers bytes). */
  readonly headers: Readonly<Record<string, string>>;
  /** Peer address (REMOTE_ADDR), or the forwarded client when the peer is a trusted proxy. */
  readonly clientIp: string;
  readonly documentRoot: string | undefined;
  /** Request body (responder role only). */
  readonly body: Buffer;
  /** Present when the body was over the adapter's limit and dropped (`body` is then empty). */
  readonly bodyTooLarge?: true;
}
