import { writeRecordHeader } from './encode-record.js';
import { HEADER_LENGTH, RecordType, type ProtocolStatus } from './protocol.js';

/** An END_REQUEST record is always 16 bytes: header plus an 8-byte body, no padding (§5.5). */
export const END_REQUEST_LENGTH = 16;

/** Writes END_REQUEST at `offset` with appStatus 0 (Apache ignores it, NOTES §3.2); returns the end offset. */
export function writeEndRequest(
  target: Buffer,
  offset: number,
  requestId: number,
  status: ProtocolStatus,
): number {
  offset = writeRecordHeader(target, offset, RecordType.EndRequest, requestId, HEADER_LENGTH, 0);
  target.writeUInt32BE(0, offset);
  target[offset + 4] = status;
  target.fill(0, offset + 5, offset + HEADER_LENGTH);
  return offset + HEADER_LENGTH;
}

export function encodeEndRequest(requestId: number, status: ProtocolStatus): Buffer {
  const record = Buffer.allocUnsafe(END_REQUEST_LENGTH);
  writeEndRequest(record, 0, requestId, status);
  return record;
}
