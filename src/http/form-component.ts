/**
 * Decoding of one application/x-www-form-urlencoded name or value (WHATWG URL
 * §5.1), tolerant where the original crashed (ORIGINAL §7: `?a=%zz` killed the
 * daemon): a malformed escape stays as written, invalid UTF-8 becomes U+FFFD.
 *
 * Input code units up to 0xFF are taken as bytes, because CGI params and request
 * bodies arrive as bytes decoded latin1; anything above (a caller's own string) is
 * taken as UTF-8.
 */
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

const hexValue = (code: number): number => {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
};

export function decodeFormComponent(raw: string): string {
  if (!/[%+\u0080-\uffff]/.test(raw)) return raw;
  // A code unit yields at most 3 bytes (a surrogate pair 4 bytes for 2 units).
  const bytes = Buffer.allocUnsafe(raw.length * 3);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x2b) {
      bytes[length++] = 0x20;
    } else if (code === 0x25) {
      const high = hexValue(raw.charCodeAt(i + 1));
      const low = hexValue(raw.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        bytes[length++] = high * 16 + low;
        i += 2;
      } else {
        bytes[length++] = code;
      }
    } else if (code <= 0xff) {
      bytes[length++] = code;
    } else {
      const end = code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1;
      length += bytes.write(raw.slice(i, end), length, 'utf8');
      i = end - 1;
    }
  }
  return utf8.decode(bytes.subarray(0, length));
}
