import { Command } from 'commander';
import { systemClock } from '../tokens/system-clock.js';
import { addressArgument } from './address-argument.js';
import type { CliIo } from './cli-io.js';
import { formatTime } from './format-time.js';
import { readConfig } from './read-config.js';
import { recordAdminEvent } from './record-admin-event.js';
import { requireUser } from './require-user.js';
import { withStore } from './with-store.js';

/** `forgetpw enable ADDRESS`: undoes `disable`; the person logs in again with a new link. */
export function enableCommand(io: CliIo): Command {
  return new Command('enable')
    .description('enable a disabled user again (they log in with a new link)')
    .argument('<address>', 'the e-mail address of the user')
    .action(async (raw: string, _options: unknown, command: Command) => {
      const address = addressArgument(raw);
      await withStore(readConfig(command, io), async (store) => {
        const user = await requireUser(store.users, address);
        if (user.disabledAt === null) {
          io.out(`${address} is not disabled; nothing changed`);
          return;
        }
        const now = systemClock.now();
        await store.users.setDisabled(address, null);
        await recordAdminEvent(store.audit, io, {
          at: now,
          event: 'user-enabled',
          address,
          detail: `disabled since ${formatTime(user.disabledAt)}`,
        });
        io.out(
          `enabled ${address} (disabled since ${formatTime(user.disabledAt)}); they can ask for a new link`,
        );
      });
    });
}
