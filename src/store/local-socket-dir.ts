/**
 * Where libpq would find a local server for `postgres:///dbname` (no host). The
 * original used libpq, which tries the Unix socket first; node-postgres would go to
 * localhost over TCP instead, where peer authentication does not apply.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const CANDIDATES = ['/var/run/postgresql', '/run/postgresql', '/tmp'];

export function localSocketDir(port: number, candidates: readonly string[] = CANDIDATES): string | undefined {
  return candidates.find((dir) => existsSync(path.join(dir, `.s.PGSQL.${port}`)));
}
