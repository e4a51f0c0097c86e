import { Command } from 'commander';
import { AppError } from '../errors/app-error.js';
import type { AclRow } from '../policy/acl-row.js';
import { normalizeWebDomain, parseAclSubject } from '../policy/normalize-address.js';
import { systemClock } from '../tokens/system-clock.js';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';
import { readConfig } from './read-config.js';
import { recordAdminEvent } from './record-admin-event.js';
import { revokeMarks } from './revoke-marks.js';
import { withStore } from './with-store.js';

interface PrivilegeOptions {
  domain?: string;
  revoke?: boolean;
  list?: boolean;
  json?: boolean;
}

/**
 * `forgetpw privilege [-d WEBDOMAIN] [-r] ADDRESS|EMAILDOMAIN...` grants (or with
 * -r blocks) every argument for one site or, without -d, for every site; `-l`
 * lists the rows. All arguments are checked before anything is written.
 */
export function privilegeCommand(io: CliIo): Command {
  return new Command('privilege')
    .description('grant (or with -r block) addresses or e-mail domains; -l lists the access list')
    .argument('[subjects...]', 'e-mail addresses (alice@example.org) or e-mail domains (example.org)')
    .option('-d, --domain <webdomain>', 'the web site the rule is for (default: every site, *)')
    .option('-r, --revoke', 'block the subjects that follow it (creates deny rules)')
    .option('-l, --list', 'list the access list (for one site with -d)')
    .option('--json', 'with -l: print JSON')
    .action(async (subjects: string[], options: PrivilegeOptions, command: Command) => {
      const web = normalizeWebDomain(options.domain ?? '');
      if (!web.ok) {
        throw new AppError(
          'DOMAIN_INVALID',
          `not a web domain: ${JSON.stringify(options.domain)} (${web.reason})`,
        );
      }
      const site = web.domain;
      if (options.list !== true && subjects.length === 0) {
        throw new AppError('USAGE', 'name at least one address or e-mail domain, or use -l to list');
      }
      const rows: AclRow[] = [];
      const problems: string[] = [];
      // commander keeps the tokens as typed in `rawArgs` (untyped in its .d.ts).
      const raw = (command.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [];
      const verbAt = raw.indexOf(command.name());
      const marks = verbAt === -1 ? undefined : revokeMarks(raw.slice(verbAt + 1), subjects);
      for (const [i, subject] of subjects.entries()) {
        const parsed = parseAclSubject(subject);
        const revoke = marks?.[i] ?? options.revoke === true;
        if (parsed.ok) rows.push({ domain: site, address: parsed.value, allow: !revoke });
        else problems.push(`${JSON.stringify(subject)}: ${parsed.reason}`);
      }
      if (problems.length > 0) {
        throw new AppError(
          'ADDRESS_INVALID',
          'nothing was changed; these are not addresses or e-mail domains',
          {
            details: problems,
          },
        );
      }
      await withStore(readConfig(command, io), async (store) => {
        if (rows.length > 0) {
          await store.acl.put(rows, systemClock.now());
          for (const row of rows) {
            await recordAdminEvent(store.audit, io, {
              event: row.allow ? 'access-granted' : 'access-blocked',
              site: row.domain || '*',
              address: row.address,
            });
          }
          for (const row of rows) {
            io.out(
              `${row.allow ? 'granted' : 'blocked'} ${row.address} ${row.allow ? 'on' : 'from'} ${row.domain || '* (every site)'}`,
            );
          }
        }
        if (options.list === true) {
          const list = await store.acl.list(options.domain === undefined ? undefined : site);
          if (options.json === true) {
            io.out(
              JSON.stringify(
                list.map((r) => ({
                  site: r.domain || '*',
                  address: r.address,
                  rule: r.allow ? 'allow' : 'deny',
                })),
              ),
            );
          } else if (list.length === 0) {
            io.out('The access list is empty: nobody can log in.');
          } else {
            const table = list.map((r) => [r.domain || '*', r.address, r.allow ? 'allow' : 'deny']);
            for (const line of formatTable(['WEB DOMAIN', 'ADDRESS', 'RULE'], table)) io.out(line);
          }
        }
      });
    });
}
