import { FcgiProtocolError } from './fcgi-protocol-error.js';
import { FCGI_VERSION_1, HEADER_LENGTH } from './protocol.js';

/** `content` is a view into the received bytes, valid for as long as the caller keeps it. */
export type RecordCallback = (type: number, requestId: number, content: Buffer) => void;

/**
 * Incremental FastCGI record parser (§3.3): feed it socket chunks cut anywhere, it calls back once per
 * complete record. Records wholly inside a chunk are handed out as views without copying; only a record
 * that straddles chunks is assembled, into one buffer sized from its header (no concat per chunk).
 */
export class RecordParser {
  #partial: Buffer | undefined;
  #filled = 0;
  #needed = HEADER_LENGTH;

  /** Bytes held of a record that has not arrived completely (non-zero at EOF means a truncated stream). */
  get buffered(): number {
    return this.#partial === undefined ? 0 : this.#filled;
  }

  /** Memory held for the record that has not arrived completely: its whole size, allocated from its header. */
  get reserved(): number {
    return this.#partial === undefined ? 0 : this.#partial.length;
  }

  parse(chunk: Buffer, onRecord: RecordCallback): void {
    let offset = this.#partial === undefined ? 0 : this.#fill(chunk, onRecord);
    const end = chunk.length;
    while (end - offset >= HEADER_LENGTH) {
      const total = recordLength(chunk, offset);
      if (end - offset < total) break;
      const start = offset + HEADER_LENGTH;
      onRecord(
        chunk[offset + 1]!,
        chunk.readUInt16BE(offset + 2),
        chunk.subarray(start, start + contentLength(chunk, offset)),
      );
      offset += total;
    }
    if (offset < end) this.#stash(chunk, offset);
  }

  #stash(chunk: Buffer, offset: number): void {
    const rest = chunk.length - offset;
    this.#needed = rest >= HEADER_LENGTH ? recordLength(chunk, offset) : HEADER_LENGTH;
    this.#partial = Buffer.allocUnsafe(this.#needed);
    this.#filled = chunk.copy(this.#partial, 0, offset);
  }

  /** Completes the pending record from the front of `chunk`; returns how many bytes of it were used. */
  #fill(chunk: Buffer, onRecord: RecordCallback): number {
    let partial = this.#partial!;
    let offset = 0;
    if (this.#filled < HEADER_LENGTH) {
      offset = chunk.copy(partial, this.#filled, 0, HEADER_LENGTH - this.#filled);
      this.#filled += offset;
      if (this.#filled < HEADER_LENGTH) return offset;
      this.#needed = recordLength(partial, 0);
      if (this.#needed > partial.length) {
        const grown = Buffer.allocUnsafe(this.#needed);
        partial.copy(grown, 0, 0, HEADER_LENGTH);
        this.#partial = partial = grown;
      }
    }
    const copied = chunk.copy(partial, this.#filled, offset, offset + this.#needed - this.#filled);
    this.#filled += copied;
    offset += copied;
    if (this.#filled < this.#needed) return offset;
    this.#partial = undefined;
    this.#filled = 0;
    onRecord(
      partial[1]!,
      partial.readUInt16BE(2),
      partial.subarray(HEADER_LENGTH, HEADER_LENGTH + contentLength(partial, 0)),
    );
    return offset;
  }
}

function contentLength(header: Buffer, offset: number): number {
  return header.readUInt16BE(offset + 4);
}

/** Header, content and padding; throws on a version other than 1 (§3.3 FCGI_VERSION_1). */
function recordLength(header: Buffer, offset: number): number {
  const version = header[offset];
  if (version !== FCGI_VERSION_1) {
    throw new FcgiProtocolError('BAD_VERSION', `unsupported FastCGI record version ${version}`);
  }
  return HEADER_LENGTH + contentLength(header, offset) + header[offset + 6]!;
}
