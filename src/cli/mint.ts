import { Command } from 'commander';
import { AppError } from '../errors/app-error.js';
import { durationSeconds } from '../config/duration-seconds.js';
import { isAllowed } from '../flows/is-allowed.js';
import { issueLink } from '../flows/issue-link.js';
import { withoutLinkToken } from '../flows/link-url.js';
import { normalizeHostName } from '../policy/normalize-host-name.js';
import { systemClock } from '../tokens/system-clock.js';
import { systemRandom } from '../tokens/system-random.js';
import { addressArgument } from './address-argument.js';
import type { CliIo } from './cli-io.js';
import { formatTime, isoTime } from './format-time.js';
import { readConfig } from './read-config.js';
import { recordAdminEvent } from './record-admin-event.js';
import { withStore } from './with-store.js';

interface MintOptions {
  expiry?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * `forgetpw mint ADDRESS URL`: a login link made by hand, for the admin to pass
 * on. It remembers no requesting browser, so whoever opens it gets the
 * confirmation page first (SPEC §2.3): a mail scanner cannot burn it.
 */
export function mintCommand(io: CliIo): Command {
  return new Command('mint')
    .description('issue a single-use login link by hand and print it (nothing is mailed)')
    .argument('<address>', 'the e-mail address to log in as')
    .argument('<url>', 'the page the link opens, http(s)://site/path; the link works on that site only')
    .option('-e, --expiry <duration>', 'link lifetime, ISO 8601 (e.g. PT1H, P1D; default state.expiry.query)')
    .option('--force', 'issue it even if the access list does not permit the address on that site')
    .option('--json', 'print JSON')
    .action(async (rawAddress: string, rawUrl: string, options: MintOptions, command: Command) => {
      const address = addressArgument(rawAddress);
      const { url, site } = pageUrl(rawUrl);
      const lifetime = options.expiry === undefined ? undefined : expirySeconds(options.expiry);
      const loaded = readConfig(command, io);
      const { config } = loaded;
      const forward = withoutLinkToken(url, config.keys.query);
      const minted = await withStore(loaded, async (store) => {
        const existing = await store.users.byEmail(address);
        if (existing?.disabledAt != null) {
          throw new AppError('USAGE', `${address} is disabled; \`forgetpw enable ${address}\` first`);
        }
        const allowed = await isAllowed(store.acl, site, address);
        if (!allowed && options.force !== true) {
          throw new AppError(
            'USAGE',
            `the access list does not permit ${address} on ${site}; nothing was issued`,
            {
              details: [
                `grant it first: forgetpw privilege -d ${site} ${address}`,
                'or issue it anyway with --force (it works once access is granted)',
              ],
            },
          );
        }
        const now = systemClock.now();
        const user = await store.users.findOrCreate(address, now);
        // No requesting browser: whoever opens it gets the confirmation page.
        const { url, expiresAt } = await issueLink(store.tokens, systemRandom, {
          userId: user.id,
          site,
          forward,
          // As mailed links do (issue 10): the gate's own target, never the page with the token.
          ...(config.knock.opens === 'target'
            ? { opens: `${new URL(forward).origin}${config.targets.login}` }
            : {}),
          queryKey: config.keys.query,
          lifetimeSeconds: lifetime ?? config.state.expiry.query,
          now,
          pendingHash: null,
        });
        await recordAdminEvent(store.audit, io, {
          at: now,
          event: 'link-minted',
          site,
          address,
          detail: `valid until ${formatTime(expiresAt)}${allowed ? '' : ', not permitted (--force)'}`,
        });
        return { expiresAt, allowed, link: url };
      });
      const { link } = minted;
      if (options.json === true) {
        io.out(JSON.stringify({ address, site, url: link, expires: isoTime(minted.expiresAt) }));
        return;
      }
      if (!minted.allowed) {
        io.err(`warning: ${address} is not permitted on ${site}; the link fails until access is granted`);
      }
      io.out(
        `Login link for ${address} on ${site}, single use, valid until ${formatTime(minted.expiresAt)}:`,
      );
      io.out(link);
    });
}

/** An absolute http(s) URL with a host; its host (normalised, no port) is the link's site. */
function pageUrl(raw: string): { url: string; site: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('USAGE', `not a URL: ${JSON.stringify(raw)} (expected http(s)://site/path)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('USAGE', `not an http(s) URL: ${JSON.stringify(raw)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('USAGE', `the URL may not carry a user name or password: ${url.host}`);
  }
  const site = normalizeHostName(url.hostname);
  if (site === undefined) throw new AppError('USAGE', `the URL has no usable host: ${JSON.stringify(raw)}`);
  return { url: url.href, site };
}

function expirySeconds(text: string): number {
  const seconds = /^\s*P/i.test(text) ? durationSeconds(text) : undefined;
  if (seconds === undefined || seconds <= 0) {
    throw new AppError(
      'USAGE',
      `--expiry: not an ISO 8601 duration such as PT1H or P1D: ${JSON.stringify(text)}`,
    );
  }
  return seconds;
}
