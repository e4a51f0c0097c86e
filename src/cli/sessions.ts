import { Command } from 'commander';
import type { TokenListing } from '../flows/token-store.js';
import { systemClock } from '../tokens/system-clock.js';
import { addressArgument } from './address-argument.js';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';
import { formatTime, isoTime } from './format-time.js';
import { readConfig } from './read-config.js';
import { requireUser } from './require-user.js';
import { withStore } from './with-store.js';

/** Enough of the stored hash to tell sessions apart; the secret cannot be derived from it. */
const ID_LENGTH = 8;

/**
 * `forgetpw sessions [ADDRESS] [--json]`: live sessions and API tokens. Never the
 * secret (it is not stored) nor the full hash: an id of its first hex digits.
 */
export function sessionsCommand(io: CliIo): Command {
  return new Command('sessions')
    .description('list live sessions and API tokens (of one user, or of everyone)')
    .argument('[address]', 'only the sessions of this user')
    .option('--json', 'print JSON (times in ISO 8601, null for never)')
    .action(async (raw: string | undefined, options: { json?: boolean }, command: Command) => {
      const address = raw === undefined ? undefined : addressArgument(raw);
      const live = await withStore(readConfig(command, io), async (store) => {
        const now = systemClock.now();
        if (address === undefined) return store.tokens.live(now);
        return store.tokens.live(now, (await requireUser(store.users, address)).id);
      });
      if (options.json === true) {
        io.out(JSON.stringify(live.map(describe)));
      } else if (live.length === 0) {
        io.out(address === undefined ? 'No live sessions.' : `No live sessions of ${address}.`);
      } else {
        const rows = live.map((row) => {
          const d = describe(row);
          return [d.id, d.kind, d.address, d.site, formatTime(row.token.createdAt), seen(row), ends(row)];
        });
        const header = ['ID', 'KIND', 'ADDRESS', 'SITE', 'CREATED', 'LAST SEEN', 'EXPIRES'];
        for (const line of formatTable(header, rows)) io.out(line);
      }
    });
}

function describe({ token, email }: TokenListing) {
  return {
    id: token.hash.slice(0, ID_LENGTH),
    kind: token.kind,
    address: email,
    site: token.site,
    created: isoTime(token.createdAt),
    lastSeen: isoTime(token.lastSeenAt),
    expires: isoTime(Math.min(token.expiresAt, token.absoluteExpiresAt)),
  };
}

const seen = (row: TokenListing): string => formatTime(row.token.lastSeenAt);
const ends = (row: TokenListing): string =>
  formatTime(Math.min(row.token.expiresAt, row.token.absoluteExpiresAt));
