import type { CgiVariables } from '../http/cgi-variables.js';
import type { GateResponse } from '../http/gate-response.js';

/** One complete FastCGI request, as the application sees it. */
export interface FcgiInput {
  readonly role: 'authorizer' | 'responder';
  /** Read as latin1 (NOTES §3.3), each only when asked for. */
  readonly params: CgiVariables;
  /** Always empty for an authorizer: Apache sends no STDIN (NOTES §3.4). */
  readonly stdin: Buffer;
  /** The responder's STDIN went past the server's limit: `stdin` is empty and the rest was ignored. */
  readonly stdinTooLarge: boolean;
}

/** An answer at hand may be returned as it is: the connection writes it without waiting for a tick. */
export type FcgiHandler = (input: FcgiInput) => GateResponse | Promise<GateResponse>;
