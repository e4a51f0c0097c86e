import { Command } from 'commander';
import { AppError } from '../errors/app-error.js';
import type { AuditQuery } from '../store/audit-listing.js';
import { normalizeWebDomain } from '../policy/normalize-address.js';
import { systemClock } from '../tokens/system-clock.js';
import { addressArgument } from './address-argument.js';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';
import { formatTime, isoTime } from './format-time.js';
import { parseSince } from './parse-since.js';
import { readConfig } from './read-config.js';
import { withStore } from './with-store.js';

interface AuditOptions {
  since?: string;
  address?: string;
  site?: string;
  limit: string;
  json?: boolean;
}

const DEFAULT_LIMIT = '100';

/** `forgetpw audit`: the audit trail (logins, logouts, link sends, denials, admin changes), newest first. */
export function auditCommand(io: CliIo): Command {
  return new Command('audit')
    .description('show the audit trail, newest first: logins, logouts, links sent, denials, admin changes')
    .option('--since <when>', 'only events since a duration ago (P7D, PT1H) or an ISO date/time (UTC)')
    .option('--address <address>', 'only events about this e-mail address')
    .option('--site <site>', 'only events on this web site (host name)')
    .option('--limit <n>', 'show at most this many events', DEFAULT_LIMIT)
    .option('--json', 'print JSON (times in ISO 8601)')
    .action(async (options: AuditOptions, command: Command) => {
      const query = auditQuery(options, systemClock.now());
      const entries = await withStore(readConfig(command, io), (store) => store.audit.list(query));
      if (options.json === true) {
        const list = entries.map((e) => ({
          time: isoTime(e.at),
          event: e.event,
          site: e.site,
          address: e.address,
          ip: e.ip,
          detail: e.detail,
        }));
        io.out(JSON.stringify(list));
      } else if (entries.length === 0) {
        io.out('No audit events match.');
      } else {
        const rows = entries.map((e) => [
          formatTime(e.at),
          e.event,
          e.site ?? '-',
          e.address ?? '-',
          e.ip ?? '-',
          e.detail ?? '',
        ]);
        for (const line of formatTable(['TIME', 'EVENT', 'SITE', 'ADDRESS', 'IP', 'DETAIL'], rows)) {
          io.out(line);
        }
      }
    });
}

function auditQuery(options: AuditOptions, now: number): AuditQuery {
  if (!/^\s*\d+\s*$/.test(options.limit) || Number(options.limit) < 1) {
    throw new AppError(
      'USAGE',
      `--limit: expected a positive whole number: ${JSON.stringify(options.limit)}`,
    );
  }
  let site: string | undefined;
  if (options.site !== undefined) {
    const web = normalizeWebDomain(options.site);
    if (!web.ok || web.domain === '') {
      const reason = web.ok ? 'name one site' : web.reason;
      throw new AppError(
        'DOMAIN_INVALID',
        `--site: not a web site: ${JSON.stringify(options.site)} (${reason})`,
      );
    }
    site = web.domain;
  }
  return {
    limit: Number(options.limit),
    ...(options.since === undefined ? {} : { since: parseSince(options.since, now) }),
    ...(options.address === undefined ? {} : { address: addressArgument(options.address) }),
    ...(site === undefined ? {} : { site }),
  };
}
