import type { GateResponse } from '../http/gate-response.js';

/** RFC 9110 §5.6.2 token: anything else (CR, LF, ':', space...) could forge or split a header line. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters other than HTAB; CR/LF would let a value start a new header line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;

export interface CgiHead {
  /** `Status: NNN\r\n`, the headers in order, then the blank line. */
  readonly text: string;
  /** Headers left out because their name was not a token or was `Status`. */
  readonly dropped: number;
}

/**
 * The CGI header block Apache parses (NOTES §3.5). `Status:` is always first (G6: without it Apache runs
 * ap_meets_conditions and can answer 500); nothing is added that the handler did not set (G7: Date,
 * Connection or Content-Type would reach the client). Values are sanitised, never trusted.
 */
export function serializeCgiHead(response: GateResponse): CgiHead {
  const status = response.status;
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new TypeError(`response status ${String(status)} is not an HTTP status`);
  }
  let text = `Status: ${status}\r\n`;
  let dropped = 0;
  for (const [name, value] of response.headers) {
    if (!TOKEN.test(name) || name.toLowerCase() === 'status') {
      dropped++;
      continue;
    }
    text += `${name}: ${value.replace(CONTROL, ' ')}\r\n`;
  }
  return { text: text + '\r\n', dropped };
}
