import type { CgiVariables } from '../http/cgi-variables.js';
import { NameValuePairs } from './name-value-pairs.js';

const NO_PARAMS = new NameValuePairs(Buffer.alloc(0));

/** One request on a connection, from BEGIN_REQUEST until its answer is written (or it is aborted). */
export class ActiveRequest {
  phase: 'params' | 'stdin' | 'handling' = 'params';
  params: CgiVariables = NO_PARAMS;
  #chunks: Buffer[] = [];
  #bytes = 0;

  /** Set when STDIN went past the limit: the request is answered without its body. */
  stdinTooLarge = false;

  constructor(
    readonly id: number,
    readonly role: 'authorizer' | 'responder',
    readonly keepConn: boolean,
    /** `performance.now()` at BEGIN_REQUEST: the request's input must be complete by a deadline from here. */
    readonly startedAt: number,
  ) {}

  /** Bytes received so far of the current stream (PARAMS, then STDIN). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Copies the content: a view would pin the whole socket chunk it came from. */
  append(content: Buffer): void {
    this.#chunks.push(Buffer.from(content));
    this.#bytes += content.length;
  }

  /** The current stream in one buffer; the request starts collecting the next stream. */
  take(): Buffer {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [];
    this.#bytes = 0;
    return all;
  }
}
