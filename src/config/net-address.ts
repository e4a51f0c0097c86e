import { isIP } from 'node:net';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Syntax checks for the network addresses a config names: listen hosts, trusted
 * proxies, the metrics endpoint. They never resolve anything.
 */
export const netAddress = {
  /** An IP address or an RFC 1123 host name (`localhost`, `auth.example.org`). */
  isHost: (text: string): boolean => {
    if (isIP(text) !== 0) return true;
    const name = text.endsWith('.') ? text.slice(0, -1) : text;
    return name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
  },

  /** An IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
  isIpOrCidr: (text: string): boolean => {
    const slash = text.indexOf('/');
    if (slash < 0) return isIP(text) !== 0;
    const family = isIP(text.slice(0, slash));
    const bits = text.slice(slash + 1);
    if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
    return Number(bits) <= (family === 4 ? 32 : 128);
  },

  /** `host:port` or `[v6]:port`; undefined when malformed. */
  splitHostPort: (text: string): { host: string; port: number } | undefined => {
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
    if (match === null) return undefined;
    const host = match[1] ?? match[2] ?? '';
    const port = Number(match[3]);
    if (match[1] !== undefined && isIP(host) !== 6) return undefined;
    if (!netAddress.isHost(host) || port < 1 || port > 65535) return undefined;
    return { host, port };
  },
};
