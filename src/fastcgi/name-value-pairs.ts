import { FcgiProtocolError } from './fcgi-protocol-error.js';

/** §3.4: a length above 127 takes 4 bytes, high bit set; 31 bits remain. */
const MAX_LENGTH = 0x7fffffff;

/**
 * Decodes a complete name-value pair stream (all PARAMS or GET_VALUES content). Names and values are raw
 * bytes from Apache (NOTES §3.3), so they are read as latin1: one char per byte, nothing lost.
 * The result has no prototype, so a param named `__proto__` is just a param.
 */
export function decodeNameValuePairs(bytes: Buffer): Record<string, string> {
  const pairs = Object.create(null) as Record<string, string>;
  // One latin1 decode of the whole stream, then substrings: a native call per name and value
  // was most of the cost of a request's params (issue 5). latin1 keeps byte offsets as char offsets.
  const text = bytes.toString('latin1');
  let offset = 0;
  while (offset < bytes.length) {
    const nameLength = lengthAt(bytes, offset);
    offset += lengthSize(bytes, offset);
    const valueLength = lengthAt(bytes, offset);
    offset += lengthSize(bytes, offset);
    if (nameLength + valueLength > bytes.length - offset) {
      throw new FcgiProtocolError('BAD_NAME_VALUE', 'name-value lengths run past the end of the stream');
    }
    const name = text.slice(offset, offset + nameLength);
    offset += nameLength;
    pairs[name] = text.slice(offset, offset + valueLength);
    offset += valueLength;
  }
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
