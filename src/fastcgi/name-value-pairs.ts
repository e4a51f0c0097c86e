import type { CgiVariables } from '../http/cgi-variables.js';
import { FcgiProtocolError } from './fcgi-protocol-error.js';

/** §3.4: a length above 127 takes 4 bytes, high bit set; 31 bits remain. */
const MAX_LENGTH = 0x7fffffff;

/**
 * A complete name-value pair stream (all PARAMS or GET_VALUES content), checked whole and then read
 * lazily: it keeps where each pair starts and makes a string only for a name or value asked for (a
 * dictionary of all thirty Apache sends was a fifth of what a check allocated, issue 18). Names and
 * values are raw bytes from Apache (NOTES §3.3), so they are read as latin1: one char per byte.
 */
export class NameValuePairs implements CgiVariables {
  readonly #bytes: Buffer;
  /** Offset of each pair's first length byte. */
  readonly #starts: number[] = [];
  /** Where the pair last `#read` lies: its name, its value, the value's end. */
  #nameAt = 0;
  #valueAt = 0;
  #valueEnd = 0;

  /** Throws BAD_NAME_VALUE when a length is truncated or runs past the end of the stream. */
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
    let offset = 0;
    while (offset < bytes.length) {
      this.#starts.push(offset);
      const nameLength = lengthAt(bytes, offset);
      offset += lengthSize(bytes, offset);
      const valueLength = lengthAt(bytes, offset);
      offset += lengthSize(bytes, offset);
      if (nameLength + valueLength > bytes.length - offset) {
        throw new FcgiProtocolError('BAD_NAME_VALUE', 'name-value lengths run past the end of the stream');
      }
      offset += nameLength + valueLength;
    }
  }

  get(name: string): string | undefined {
    // From the end: the last of a repeated name wins, as it did when the pairs filled a dictionary.
    for (let i = this.#starts.length - 1; i >= 0; i--) {
      this.#read(i);
      if (this.#valueAt - this.#nameAt === name.length && this.#startsWith(this.#nameAt, name)) {
        return this.#bytes.toString('latin1', this.#valueAt, this.#valueEnd);
      }
    }
    return undefined;
  }

  forEachNamed(prefix: string, visit: (name: string, value: string) => void): void {
    const bytes = this.#bytes;
    for (let i = 0; i < this.#starts.length; i++) {
      this.#read(i);
      if (this.#valueAt - this.#nameAt < prefix.length || !this.#startsWith(this.#nameAt, prefix)) continue;
      const name = bytes.toString('latin1', this.#nameAt, this.#valueAt);
      visit(name, bytes.toString('latin1', this.#valueAt, this.#valueEnd));
    }
  }

  /** Where pair `index`'s name and value lie, into the three fields below (no object per pair). */
  #read(index: number): void {
    const bytes = this.#bytes;
    let offset = this.#starts[index]!;
    const nameLength = lengthAt(bytes, offset);
    offset += lengthSize(bytes, offset);
    const valueLength = lengthAt(bytes, offset);
    offset += lengthSize(bytes, offset);
    this.#nameAt = offset;
    this.#valueAt = offset + nameLength;
    this.#valueEnd = this.#valueAt + valueLength;
  }
  /** Whether the bytes at `offset` are `text`'s chars (a char above 255 matches no byte). */
  #startsWith(offset: number, text: string): boolean {
    const bytes = this.#bytes;
    for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
    return true;
  }
}

/**
 * Every pair of a stream in a dictionary (GET_VALUES, tests). It has no prototype, so a param
 * named `__proto__` is just a param.
 */
export function decodeNameValuePairs(bytes: Buffer): Record<string, string> {
  const pairs = Object.create(null) as Record<string, string>;
  new NameValuePairs(bytes).forEachNamed('', (name, value) => {
    pairs[name] = value;
  });
  return pairs;
}

/** Encodes pairs with 1- or 4-byte lengths; strings are written as latin1 (one byte per char). */
export function encodeNameValuePairs(
  pairs: Iterable<readonly [string, string]> | Record<string, string>,
): Buffer {
  const list: Array<readonly [string, string]> =
    Symbol.iterator in pairs ? [...pairs] : Object.entries(pairs);
  let size = 0;
  for (const [name, value] of list)
    size += encodedLengthSize(name.length) + encodedLengthSize(value.length) + name.length + value.length;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const [name, value] of list) {
    offset = writeLength(out, offset, name.length);
    offset = writeLength(out, offset, value.length);
    offset += out.write(name, offset, 'latin1');
    offset += out.write(value, offset, 'latin1');
  }
  return out;
}

function lengthSize(bytes: Buffer, offset: number): number {
  return bytes[offset]! & 0x80 ? 4 : 1;
}

function lengthAt(bytes: Buffer, offset: number): number {
  if (offset >= bytes.length || (bytes[offset]! & 0x80 && offset + 4 > bytes.length)) {
    throw new FcgiProtocolError('BAD_NAME_VALUE', 'name-value length is truncated');
  }
  return bytes[offset]! & 0x80 ? bytes.readUInt32BE(offset) & MAX_LENGTH : bytes[offset]!;
}

function encodedLengthSize(length: number): number {
  if (length > MAX_LENGTH) throw new RangeError(`name-value length ${length} exceeds ${MAX_LENGTH}`);
  return length > 127 ? 4 : 1;
}

function writeLength(out: Buffer, offset: number, length: number): number {
  if (length <= 127) {
    out[offset] = length;
    return offset + 1;
  }
  out.writeUInt32BE((length | 0x80000000) >>> 0, offset);
  return offset + 4;
}
