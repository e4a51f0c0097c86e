import { FCGI_VERSION_1, HEADER_LENGTH, MAX_CONTENT_LENGTH } from './protocol.js';

/** §3.3: padding is recommended so that records stay 8-byte aligned. */
export function paddingFor(contentLength: number): number {
  return -contentLength & 7;
}

/** Writes one 8-byte record header at `offset`; returns the offset just after it. */
export function writeRecordHeader(
  target: Buffer,
  offset: number,
  type: number,
  requestId: number,
  contentLength: number,
  paddingLength: number,
): number {
  target[offset] = FCGI_VERSION_1;
  target[offset + 1] = type;
  target.writeUInt16BE(requestId, offset + 2);
  target.writeUInt16BE(contentLength, offset + 4);
  target[offset + 6] = paddingLength;
  target[offset + 7] = 0;
  return offset + HEADER_LENGTH;
}

/** One complete record, content padded with zero bytes to a multiple of 8. */
export function encodeRecord(
  type: number,
  requestId: number,
  content: Uint8Array = new Uint8Array(0),
): Buffer {
  if (content.length > MAX_CONTENT_LENGTH) {
    throw new RangeError(`record content of ${content.length} bytes exceeds ${MAX_CONTENT_LENGTH}`);
  }
  const padding = paddingFor(content.length);
  const record = Buffer.alloc(HEADER_LENGTH + content.length + padding);
  const offset = writeRecordHeader(record, 0, type, requestId, content.length, padding);
  record.set(content, offset);
  return record;
}
