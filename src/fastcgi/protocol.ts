/** FastCGI 1.0 wire constants (fastcgi.com spec §8, "Types and constants"). */

export const FCGI_VERSION_1 = 1;
/** §3.3: every record starts with an 8-byte header. */
export const HEADER_LENGTH = 8;
/** contentLength is a u16. */
export const MAX_CONTENT_LENGTH = 0xffff;
/** §5.1: the web server sets this flag when the application must not close after the request. */
export const FCGI_KEEP_CONN = 1;
/** §3.3: requestId 0 is reserved for management records. */
export const FCGI_NULL_REQUEST_ID = 0;

export const RecordType = {
  BeginRequest: 1,
  AbortRequest: 2,
  EndRequest: 3,
  Params: 4,
  Stdin: 5,
  Stdout: 6,
  Stderr: 7,
  Data: 8,
  GetValues: 9,
  GetValuesResult: 10,
  UnknownType: 11,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export const Role = { Responder: 1, Authorizer: 2, Filter: 3 } as const;

export const ProtocolStatus = {
  RequestComplete: 0,
  CantMpxConn: 1,
  Overloaded: 2,
  UnknownRole: 3,
} as const;
export type ProtocolStatus = (typeof ProtocolStatus)[keyof typeof ProtocolStatus];
