/**
 * The cache's promise, checked end to end through Apache (issue 5: "logout and blocking
 * still take effect within that bound everywhere"): a session revoked behind the daemon's
 * back (another daemon, the CLI on another host) is refused within `cache.ttl`; a logout
 * through the daemon itself is refused on the very next request.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { http } from '../test/support/apache.js';

export interface CacheBound {
  /** Seconds until a session revoked in the database was refused; 0 = at once (no cache in effect). */
  readonly revokedElsewhereRefusedAfterS: number;
  /** Status of the request right after POST /logout through the same daemon (401 expected). */
  readonly statusRightAfterLogout: number;
}

export async function probeCacheBound(p: {
  port: number;
  host: string;
  cookieName: string;
  /** Two live sessions nobody else uses. */
  secrets: readonly [string, string];
  /** Revokes the first one directly in the database. */
  revokeBehindTheDaemon: () => Promise<void>;
}): Promise<CacheBound> {
  const url = (path: string): string => `http://${p.host}:${String(p.port)}${path}`;
  const get = async (secret: string): Promise<number> =>
    (await http(url('/page.html'), { headers: { cookie: `${p.cookieName}=${secret}` } })).status;
  const [elsewhere, local] = p.secrets;

  expectStatus(await get(elsewhere), 200, 'a fresh session');
  await p.revokeBehindTheDaemon();
  const revokedAt = performance.now();
  while ((await get(elsewhere)) === 200) {
    if (performance.now() - revokedAt > 30_000) throw new Error('a revoked session still works after 30 s');
    await sleep(50);
  }
  const revokedElsewhereRefusedAfterS = (performance.now() - revokedAt) / 1000;

  expectStatus(await get(local), 200, 'a fresh session');
  const logout = await http(url('/logout'), {
    method: 'POST',
    headers: { cookie: `${p.cookieName}=${local}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  expectStatus(logout.status, 303, 'POST /logout');
  return { revokedElsewhereRefusedAfterS, statusRightAfterLogout: await get(local) };
}

function expectStatus(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${what} answered ${String(actual)}, not ${String(expected)}`);
}
