import { encodeRecord } from './encode-record.js';
import { decodeNameValuePairs, encodeNameValuePairs } from './name-value-pairs.js';
import { FCGI_NULL_REQUEST_ID, RecordType } from './protocol.js';

/**
 * §4.1: the web server asks with names and empty values; the answer carries the values we know and
 * leaves out the names we do not.
 */
export function answerGetValues(query: Buffer, known: Readonly<Record<string, string>>): Buffer {
  const answer: Array<[string, string]> = [];
  for (const name of Object.keys(decodeNameValuePairs(query))) {
    const value = Object.hasOwn(known, name) ? known[name] : undefined;
    if (value !== undefined) answer.push([name, value]);
  }
  return encodeRecord(RecordType.GetValuesResult, FCGI_NULL_REQUEST_ID, encodeNameValuePairs(answer));
}
