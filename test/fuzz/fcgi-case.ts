import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { encodeNameValuePairs } from '../../src/fastcgi/name-value-pairs.js';
import { RecordType, Role } from '../../src/fastcgi/protocol.js';
import { beginRequest, encodeRequest, streamRecords } from '../support/fcgi-client.js';
import type { Prng } from './prng.js';

/** Bytes sent on one connection; `abort` drops the connection right after instead of half-closing it. */
export interface FcgiCase {
  readonly bytes: Buffer;
  readonly abort: boolean;
}

const PARAMS = {
  REQUEST_METHOD: 'GET',
  REQUEST_URI: '/p?knock=abc',
  HTTP_HOST: 'site.example',
  HTTP_COOKIE: 'forgetpw=x',
};

/** A record header with any field, content and padding as given (no checks: the point is to break them). */
function rawRecord(
  version: number,
  type: number,
  id: number,
  length: number,
  padding: number,
  body: Buffer,
): Buffer {
  const header = Buffer.from([version, type, id >> 8, id & 0xff, length >> 8, length & 0xff, padding, 0]);
  return Buffer.concat([header, body]);
}

/** 4-byte name-value lengths near 2^31 and past the data (FastCGI 1.0 §3.4). */
function hugeLengths(prng: Prng): Buffer {
  const near = [0x7fffffff, 0x7ffffffe, 0x80000000, 0xffffffff, 0x80000080, 0x8000ffff, 0x80010000];
  const head = Buffer.alloc(8);
  head.writeUInt32BE(prng.pick(near) >>> 0, 0);
  head.writeUInt32BE(prng.chance(0.5) ? prng.pick(near) >>> 0 : prng.below(128), prng.chance(0.5) ? 4 : 1);
  return Buffer.concat([head.subarray(0, prng.between(1, 8)), prng.bytes(prng.size(64))]);
}

function wellFormed(prng: Prng): Buffer {
  const role = prng.chance(0.5) ? 'authorizer' : 'responder';
  return encodeRequest({
    role,
    params: PARAMS,
    stdin: prng.bytes(prng.size(300)),
    requestId: prng.between(1, 0xffff),
    keepConn: prng.chance(0.3),
  });
}

/** Requests on several ids, their records shuffled together (§3.3 multiplexing), some ids reused. */
function interleaved(prng: Prng): Buffer {
  const records: Buffer[][] = [];
  for (let n = prng.between(2, 80); n > 0; n--) {
    const id = prng.chance(0.2) ? prng.between(1, 3) : prng.between(1, 0xffff);
    const role = prng.pick([Role.Responder, Role.Authorizer, Role.Filter, 0, prng.below(0x10000)]);
    const params = streamRecords(RecordType.Params, id, encodeNameValuePairs(PARAMS));
    const stdin =
      role === Role.Responder ? [streamRecords(RecordType.Stdin, id, prng.bytes(prng.size(100)))] : [];
    const abort = prng.chance(0.1) ? [encodeRecord(RecordType.AbortRequest, id)] : [];
    records.push([beginRequest(id, role, prng.chance(0.5)), params, ...stdin, ...abort]);
  }
  const out: Buffer[] = [];
  while (records.length > 0) {
    const i = prng.below(records.length);
    const next = records[i]!.shift();
    if (next === undefined) records.splice(i, 1);
    else out.push(next);
  }
  return Buffer.concat(out);
}

function structural(prng: Prng): Buffer {
  const id = prng.between(0, 3);
  switch (prng.below(9)) {
    case 0: // a header claiming more content than comes
      return rawRecord(
        1,
        prng.between(1, 11),
        id,
        prng.between(1, 0xffff),
        prng.below(256),
        prng.bytes(prng.size(100)),
      );
    case 1: // unknown record types, management and otherwise
      return rawRecord(
        1,
        prng.pick([0, 12, 13, 99, 255, prng.below(256)]),
        prng.pick([0, id]),
        8,
        0,
        prng.bytes(8),
      );
    case 2: // unknown roles
      return Buffer.concat([
        beginRequest(id || 1, prng.pick([0, 3, 4, 0x7fff, 0xffff, prng.below(0x10000)])),
        wellFormed(prng),
      ]);
    case 3: // absurd name-value lengths inside PARAMS
      return Buffer.concat([
        beginRequest(1, prng.pick([Role.Authorizer, Role.Responder])),
        encodeRecord(RecordType.Params, 1, hugeLengths(prng)),
        encodeRecord(RecordType.Params, 1),
      ]);
    case 4: // GET_VALUES with junk names and lengths
      return encodeRecord(
        RecordType.GetValues,
        0,
        prng.chance(0.5) ? hugeLengths(prng) : prng.bytes(prng.size(200)),
      );
    case 5: // streams out of order: STDIN first, PARAMS after their end, a second BEGIN on a live id
      return Buffer.concat(
        prng.pick([
          [beginRequest(1, Role.Responder), encodeRecord(RecordType.Stdin, 1, prng.bytes(10))],
          [
            beginRequest(1, Role.Authorizer),
            encodeRecord(RecordType.Params, 1),
            encodeRecord(RecordType.Params, 1, prng.bytes(8)),
          ],
          [beginRequest(1, Role.Responder), beginRequest(1, Role.Responder)],
          [
            encodeRecord(RecordType.Params, 7, prng.bytes(9)),
            encodeRecord(RecordType.Stdin, 7),
            encodeRecord(RecordType.AbortRequest, 7),
          ],
        ]),
      );
    case 6: // another version, or a short BEGIN_REQUEST body
      return prng.chance(0.5)
        ? rawRecord(prng.pick([0, 2, 255]), 1, 1, 8, 0, Buffer.alloc(8))
        : rawRecord(1, RecordType.BeginRequest, 1, 3, 0, Buffer.from([0, 1, 0]));
    case 7: // PARAMS and STDIN past the daemon's limits
      return Buffer.concat([
        beginRequest(1, Role.Responder),
        streamRecords(
          prng.chance(0.5) ? RecordType.Params : RecordType.Stdin,
          1,
          Buffer.alloc(prng.chance(0.8) ? 70_000 : 1_100_000, 0x41),
        ),
      ]);
    default:
      return interleaved(prng);
  }
}

function mutate(prng: Prng, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  for (let n = prng.between(1, 6); n > 0; n--) {
    const at = prng.below(bytes.length + 1);
    switch (prng.below(6)) {
      case 0:
        if (at < bytes.length) bytes[at] = prng.next() & 0xff;
        break;
      case 1:
        bytes = bytes.subarray(0, at);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), prng.bytes(prng.size(32)), bytes.subarray(at)]);
        break;
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(prng.below(bytes.length + 1))]);
        break;
      case 4:
        if (at + 1 < bytes.length)
          bytes.writeUInt16BE(prng.pick([0, 0xffff, 0x8000, prng.below(0x10000)]), at);
        break;
      default:
        bytes = Buffer.concat([bytes, bytes.subarray(at)]);
    }
  }
  return bytes;
}

/** One connection's worth of bytes: random, structurally malformed, or a real request mutated. */
export function fcgiCase(prng: Prng): FcgiCase {
  const roll = prng.below(10);
  const bytes =
    roll < 2
      ? prng.bytes(prng.size(70_000))
      : roll < 5
        ? structural(prng)
        : mutate(prng, prng.chance(0.7) ? wellFormed(prng) : interleaved(prng));
  return { bytes, abort: prng.chance(0.1) };
}
