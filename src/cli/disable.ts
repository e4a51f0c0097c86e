import { Command } from 'commander';
import { systemClock } from '../tokens/system-clock.js';
import { addressArgument } from './address-argument.js';
import { CACHE_NOTE } from './cache-note.js';
import type { CliIo } from './cli-io.js';
import { formatTime } from './format-time.js';
import { readConfig } from './read-config.js';
import { recordAdminEvent } from './record-admin-event.js';
import { requireUser } from './require-user.js';
import { withStore } from './with-store.js';

/**
 * `forgetpw disable ADDRESS`: the user can no longer log in, and every session,
 * link and API token they hold is revoked. A running daemon may answer a session
 * from memory for `cache.ttl` seconds, so it takes effect there within that bound
 * (SPEC §3), not at once.
 */
export function disableCommand(io: CliIo): Command {
  return new Command('disable')
    .description('disable a user: no more logins, and every session, link and API token revoked')
    .argument('<address>', 'the e-mail address of the user')
    .addHelpText('after', CACHE_NOTE)
    .action(async (raw: string, _options: unknown, command: Command) => {
      const address = addressArgument(raw);
      await withStore(readConfig(command, io), async (store) => {
        const user = await requireUser(store.users, address);
        const now = systemClock.now();
        if (user.disabledAt === null) await store.users.setDisabled(address, now);
        // API tokens too: a disabled person keeps no credential to come back with.
        const revoked = await store.tokens.revokeUser(user.id, now, true);
        const ended = `revoked ${revoked} session(s), link(s) and API token(s)`;
        if (user.disabledAt === null || revoked > 0) {
          await recordAdminEvent(store.audit, io, {
            at: now,
            event: 'user-disabled',
            address,
            detail: ended,
          });
        }
        io.out(
          user.disabledAt === null
            ? `disabled ${address}; ${ended}`
            : `${address} was already disabled (since ${formatTime(user.disabledAt)}); ${ended}`,
        );
      });
    });
}
