import { encodeRecord } from './encode-record.js';
import { FCGI_NULL_REQUEST_ID, RecordType } from './protocol.js';

/** §4.2: the reply to a record type we do not understand names that type. */
export function encodeUnknownType(type: number): Buffer {
  const body = new Uint8Array(8);
  body[0] = type;
  return encodeRecord(RecordType.UnknownType, FCGI_NULL_REQUEST_ID, body);
}
