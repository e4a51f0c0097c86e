import { Command } from 'commander';
import { systemClock } from '../tokens/system-clock.js';
import { addressArgument } from './address-argument.js';
import { CACHE_NOTE } from './cache-note.js';
import type { CliIo } from './cli-io.js';
import { readConfig } from './read-config.js';
import { recordAdminEvent } from './record-admin-event.js';
import { requireUser } from './require-user.js';
import { withStore } from './with-store.js';

/**
 * `forgetpw logout ADDRESS [--api]`: ends every session of the user (and their
 * unused links) on every site and daemon, within `cache.ttl` seconds on running
 * daemons; API tokens only with --api (nothing issues them yet).
 */
export function logoutCommand(io: CliIo): Command {
  return new Command('logout')
    .description('end every session (and unused link) of a user, on every site')
    .argument('<address>', 'the e-mail address of the user')
    .option('--api', 'revoke their API tokens too (none can be issued yet: the app-password work will)')
    .addHelpText('after', CACHE_NOTE)
    .action(async (raw: string, options: { api?: boolean }, command: Command) => {
      const address = addressArgument(raw);
      await withStore(readConfig(command, io), async (store) => {
        const user = await requireUser(store.users, address);
        const now = systemClock.now();
        const api = options.api === true;
        const count = await store.tokens.revokeUser(user.id, now, api);
        const what = api ? 'session(s), link(s) and API token(s)' : 'session(s) and link(s)';
        if (count > 0) {
          await recordAdminEvent(store.audit, io, {
            at: now,
            event: 'sessions-ended',
            address,
            detail: `revoked ${count} ${what}`,
          });
        }
        io.out(`ended ${count} ${what} of ${address}`);
      });
    });
}
