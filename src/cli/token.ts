import { Command } from 'commander';
import { AppError } from '../errors/app-error.js';
import { durationSeconds } from '../config/duration-seconds.js';
import type { AppPassword } from '../tokens/app-password.js';
import { isAllowed } from '../flows/is-allowed.js';
import { createAppPassword, mailRevealLink, type AppPasswordRequest } from '../flows/issue-app-password.js';
import { parseLabel } from '../flows/parse-label.js';
import { createLogger } from '../log/create-logger.js';
import { createMailer } from '../mail/create-mailer.js';
import { normalizeHostName } from '../policy/normalize-host-name.js';
import { createPages } from '../templates/create-pages.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import { systemClock } from '../tokens/system-clock.js';
import { systemRandom } from '../tokens/system-random.js';
import { addressArgument } from './address-argument.js';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';
import { formatTime, isoTime } from './format-time.js';
import { readConfig } from './read-config.js';
import { recordAdminEvent } from './record-admin-event.js';
import { requireUser } from './require-user.js';
import { withStore } from './with-store.js';

interface CreateOptions {
  domain?: string;
  label: string;
  expires: string;
  print?: boolean;
  linkBase?: string;
}

/**
 * `forgetpw token create|list|revoke`: app passwords by hand (SPEC §10). `create`
 * mails the person a single-use reveal link, so the admin sees only an id; with
 * `--print` the admin gets the secret instead, for their own scripts.
 */
export function tokenCommand(io: CliIo): Command {
  const token = new Command('token').description(
    'app passwords: create one (its reveal link mailed to the person), list them, revoke one',
  );
  token
    .command('create')
    .description('create an app password and mail its single-use reveal link to ADDRESS')
    .argument('<address>', 'the e-mail address of the person')
    .option('-d, --domain <site>', 'the site it works on (default: every site the person may use)')
    .option('--label <label>', 'what it is for, shown on the account page', 'cli')
    .option('--expires <duration>', 'lifetime, ISO 8601 (e.g. P90D)', 'P90D')
    .option('--print', 'print the secret here instead of mailing a reveal link')
    .option('--link-base <url>', 'scheme://host[:port] the reveal link is built on (default https://SITE)')
    .action(async (raw: string, options: CreateOptions, command: Command) => {
      const address = addressArgument(raw);
      const site = options.domain === undefined ? '' : siteArgument(options.domain);
      const label = parseLabel(options.label);
      if (label === undefined)
        throw new AppError('USAGE', `--label: 1 to 64 letters, digits, spaces and plain punctuation`);
      const lifetime = /^\s*P/i.test(options.expires) ? durationSeconds(options.expires) : undefined;
      if (lifetime === undefined || lifetime <= 0) {
        throw new AppError(
          'USAGE',
          `--expires: not an ISO 8601 duration such as P90D: ${JSON.stringify(options.expires)}`,
        );
      }
      const origin = linkOrigin(options.linkBase, site, options.print === true);
      const loaded = readConfig(command, io);
      const { config } = loaded;
      const log = createLogger('silent');
      const print = options.print === true;
      const result = await withStore(loaded, async (store) => {
        const now = systemClock.now();
        const existing = await store.users.byEmail(address);
        if (existing?.disabledAt != null) {
          throw new AppError('USAGE', `${address} is disabled; \`forgetpw enable ${address}\` first`);
        }
        if (site !== '' && !(await isAllowed(store.acl, site, address))) {
          throw new AppError(
            'USAGE',
            `the access list does not permit ${address} on ${site}; nothing was created`,
            {
              details: [`grant it first: forgetpw privilege -d ${site} ${address}`],
            },
          );
        }
        const user = existing ?? (await store.users.findOrCreate(address, now));
        const mailer = print ? undefined : createMailer(config.email, { log });
        const pages = createPages({
          path: config.templates.path,
          mapping: config.templates.mapping,
          transform: config.templates.transform,
          base: config.templates.base,
          languages: config.templates.languages,
          sites: config.templates.sites,
          log,
        });
        const deps = {
          config,
          store,
          clock: systemClock,
          random: systemRandom,
          pages,
          mailer: mailer ?? {
            send: () => Promise.resolve(),
            verify: () => Promise.resolve(),
            close: () => undefined,
          },
        };
        const request: AppPasswordRequest = {
          user,
          site,
          label,
          lifetimeSeconds: lifetime,
          origin,
          revealSite: new URL(origin).hostname,
        };
        const issued = await createAppPassword(deps, request);
        let secret: string | undefined;
        try {
          if (print) {
            // The admin's own copy: the reveal link is used here and now, so it can never be used again.
            secret = newSecret(systemRandom);
            const revealed = await store.appPasswords.reveal(
              hashSecret(issued.revealSecret),
              request.revealSite,
              hashSecret(secret),
              systemClock.now(),
            );
            if (revealed.kind !== 'revealed')
              throw new AppError('INTERNAL', 'the new app password could not be revealed');
          } else {
            await mailRevealLink(deps, request, issued, undefined);
          }
        } catch (error) {
          await store.appPasswords.revoke(issued.id, systemClock.now());
          throw error;
        } finally {
          mailer?.close();
        }
        await recordAdminEvent(store.audit, io, {
          at: now,
          event: 'app-password-created',
          site: site === '' ? null : site,
          address,
          detail: `id ${issued.id}${print ? ', printed' : ', reveal link mailed'}`,
        });
        return { issued, secret, expiresAt: now + lifetime * 1000 };
      });
      const where = site === '' ? 'every site' : site;
      if (result.secret !== undefined) {
        io.err(
          `app password ${result.issued.id} for ${address} on ${where}, valid until ${formatTime(result.expiresAt)}:`,
        );
        io.out(result.secret);
        return;
      }
      io.out(
        `app password ${result.issued.id} for ${address} on ${where}: reveal link mailed to ${address}, ` +
          `valid until ${formatTime(result.issued.revealExpiresAt)}`,
      );
    });

  token
    .command('list')
    .description('list app passwords (of one person, or of everyone)')
    .argument('[address]', 'only the app passwords of this person')
    .option('--json', 'print JSON (times in ISO 8601, null for never)')
    .action(async (raw: string | undefined, options: { json?: boolean }, command: Command) => {
      const address = raw === undefined ? undefined : addressArgument(raw);
      const listed = await withStore(readConfig(command, io), async (store) =>
        store.appPasswords.list(
          address === undefined ? undefined : (await requireUser(store.users, address)).id,
        ),
      );
      const now = systemClock.now();
      if (options.json === true) {
        io.out(JSON.stringify(listed.map((p) => describe(p, now))));
        return;
      }
      if (listed.length === 0) {
        io.out(address === undefined ? 'No app passwords.' : `No app passwords of ${address}.`);
        return;
      }
      const header = ['ID', 'LABEL', 'ADDRESS', 'SITE', 'CREATED', 'LAST USED', 'EXPIRES', 'STATE'];
      const rows = listed.map((p) => [
        p.id,
        p.label,
        p.email,
        p.site === '' ? '*' : p.site,
        formatTime(p.createdAt),
        formatTime(p.lastUsedAt),
        formatTime(p.expiresAt),
        stateOf(p, now),
      ]);
      for (const line of formatTable(header, rows)) io.out(line);
    });

  token
    .command('revoke')
    .description('revoke an app password by its id (from `token list`)')
    .argument('<id>', 'the id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withStore(readConfig(command, io), async (store) => {
        const now = systemClock.now();
        const revoked = await store.appPasswords.revoke(id.trim().toLowerCase(), now);
        if (revoked === undefined)
          throw new AppError('USAGE', `no live app password has the id ${JSON.stringify(id)}`);
        await recordAdminEvent(store.audit, io, {
          at: now,
          event: 'app-password-revoked',
          site: revoked.site === '' ? null : revoked.site,
          address: revoked.email,
          detail: `id ${revoked.id}`,
        });
        io.out(`revoked app password ${revoked.id} (${revoked.label}) of ${revoked.email}`);
      });
    });
  return token;
}

function siteArgument(raw: string): string {
  const site = normalizeHostName(raw);
  if (site === undefined) throw new AppError('USAGE', `-d: not a host name: ${JSON.stringify(raw)}`);
  return site;
}

/** Where the reveal link points: --link-base, else https://SITE. */
function linkOrigin(base: string | undefined, site: string, print: boolean): string {
  if (base === undefined) {
    if (site !== '') return `https://${site}`;
    if (print) return 'https://localhost';
    throw new AppError('USAGE', 'without -d, say where the reveal link points: --link-base https://SITE');
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new AppError('USAGE', `--link-base: not a URL: ${JSON.stringify(base)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    throw new AppError('USAGE', `--link-base: expected http(s)://host[:port]: ${JSON.stringify(base)}`);
  }
  return url.origin;
}

function stateOf(p: AppPassword, now: number): string {
  if (now >= p.expiresAt) return 'expired';
  if (p.revealedAt !== null) return 'active';
  return now >= p.revealExpiresAt ? 'link-expired' : 'waiting';
}

function describe(p: AppPassword, now: number) {
  return {
    id: p.id,
    label: p.label,
    address: p.email,
    site: p.site,
    created: isoTime(p.createdAt),
    lastUsed: isoTime(p.lastUsedAt),
    expires: isoTime(p.expiresAt),
    revealed: isoTime(p.revealedAt),
    state: stateOf(p, now),
  };
}
