import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';
import { formatTime, isoTime } from './format-time.js';
import { readConfig } from './read-config.js';
import { withStore } from './with-store.js';

/** `forgetpw users [--json]`: every user, with when they were created, last seen and disabled. */
export function usersCommand(io: CliIo): Command {
  return new Command('users')
    .description('list the users (created on their first login), with when they were last seen')
    .option('--json', 'print JSON (times in ISO 8601, null for never)')
    .action(async (options: { json?: boolean }, command: Command) => {
      const users = await withStore(readConfig(command, io), (store) => store.users.list());
      if (options.json === true) {
        const list = users.map((user) => ({
          address: user.email,
          principal: user.principal,
          created: isoTime(user.createdAt),
          lastSeen: isoTime(user.lastSeenAt),
          disabled: isoTime(user.disabledAt),
        }));
        io.out(JSON.stringify(list));
      } else if (users.length === 0) {
        io.out('No users yet: a user is created on their first login.');
      } else {
        const rows = users.map((user) => [
          user.email,
          user.principal,
          formatTime(user.createdAt),
          formatTime(user.lastSeenAt),
          formatTime(user.disabledAt),
        ]);
        const header = ['ADDRESS', 'PRINCIPAL', 'CREATED', 'LAST SEEN', 'DISABLED'];
        for (const line of formatTable(header, rows)) io.out(line);
      }
    });
}
