import { END_REQUEST_LENGTH, writeEndRequest } from './encode-end-request.js';
import { paddingFor, writeRecordHeader } from './encode-record.js';
import { HEADER_LENGTH, MAX_CONTENT_LENGTH, ProtocolStatus, RecordType } from './protocol.js';

/**
 * The whole answer to one request as a single buffer, for a single socket write: STDOUT record(s) with the
 * CGI head and body, the empty STDOUT that ends the stream, and END_REQUEST (§5.3, §5.5).
 * When head and body fit in 65535 bytes they share ONE STDOUT record: Apache's authorizer only keeps the
 * body that arrives in the same read as the blank line (NOTES §3.5, G5).
 */
export function encodeAnswer(requestId: number, head: string, body: Buffer): Buffer {
  const headLength = Buffer.byteLength(head);
  const cgiLength = headLength + body.length;
  if (cgiLength <= MAX_CONTENT_LENGTH) {
    const padding = paddingFor(cgiLength);
    const out = Buffer.allocUnsafe(HEADER_LENGTH + cgiLength + padding + HEADER_LENGTH + END_REQUEST_LENGTH);
    let offset = writeRecordHeader(out, 0, RecordType.Stdout, requestId, cgiLength, padding);
    offset += out.write(head, offset);
    offset += body.copy(out, offset);
    out.fill(0, offset, offset + padding);
    offset += padding;
    return finish(out, offset, requestId);
  }
  // Only large responder answers get here; one copy to cut them into records is fine.
  const cgi = Buffer.concat([Buffer.from(head), body]);
  const records = Math.ceil(cgiLength / MAX_CONTENT_LENGTH);
  const lastLength = cgiLength - (records - 1) * MAX_CONTENT_LENGTH;
  const size =
    records * HEADER_LENGTH +
    cgiLength +
    (records - 1) * paddingFor(MAX_CONTENT_LENGTH) +
    paddingFor(lastLength) +
    HEADER_LENGTH +
    END_REQUEST_LENGTH;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let start = 0; start < cgiLength; start += MAX_CONTENT_LENGTH) {
    const length = Math.min(MAX_CONTENT_LENGTH, cgiLength - start);
    const padding = paddingFor(length);
    offset = writeRecordHeader(out, offset, RecordType.Stdout, requestId, length, padding);
    offset += cgi.copy(out, offset, start, start + length);
    out.fill(0, offset, offset + padding);
    offset += padding;
  }
  return finish(out, offset, requestId);
}

function finish(out: Buffer, offset: number, requestId: number): Buffer {
  offset = writeRecordHeader(out, offset, RecordType.Stdout, requestId, 0, 0);
  writeEndRequest(out, offset, requestId, ProtocolStatus.RequestComplete);
  return out;
}
