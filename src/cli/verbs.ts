import type { Command } from 'commander';
import { tuneHeapForDaemon } from '../app/tune-heap.js';
import type { CliIo } from './cli-io.js';

/**
 * Every verb, loaded only when it runs: `forgetpw --help` and each verb pay only
 * for the modules they use (issue 5: the CLI answers in under 300 ms). The
 * summaries are the verbs' own descriptions (a test keeps them equal). The verbs that
 * run the daemon tune V8's heap before their modules load (`tuneHeapForDaemon`).
 */
export interface Verb {
  readonly name: string;
  readonly summary: string;
  load(): Promise<(io: CliIo) => Command>;
}

export const VERBS: readonly Verb[] = [
  {
    name: 'init',
    summary: 'write the configuration file and create the database tables',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'privilege',
    summary: 'grant (or with -r block) addresses or e-mail domains; -l lists the access list',
    load: async () => (await import('./privilege.js')).privilegeCommand,
  },
  {
    name: 'fcgi',
    summary: 'run the FastCGI authorizer daemon',
    load: async () => {
      tuneHeapForDaemon();
      return (await import('./fcgi.js')).fcgiCommand;
    },
  },
  {
    name: 'http',
    summary: 'run the HTTP forward-auth daemon (nginx auth_request, Caddy forward_auth, Traefik)',
    load: async () => {
      tuneHeapForDaemon();
      return (await import('./http.js')).httpCommand;
    },
  },
  {
    name: 'extract',
    summary: 'write the default templates (or, with --static, the logged-out pages) into DEST',
    load: async () => (await import('./extract.js')).extractCommand,
  },
  {
    name: 'start',
    summary: 'first run: create a local config (SQLite, mail to ./mail) if missing, migrate, run the daemon',
    load: async () => {
      tuneHeapForDaemon();
      return (await import('./start.js')).startCommand;
    },
  },
  {
    name: 'demo',
    summary:
      'run the daemon and a local web server (from apache-example.conf or examples/) to try a login by hand',
    load: async () => {
      tuneHeapForDaemon();
      return (await import('./demo.js')).demoCommand;
    },
  },
  {
    name: 'users',
    summary: 'list the users (created on their first login), with when they were last seen',
    load: async () => (await import('./users.js')).usersCommand,
  },
  {
    name: 'disable',
    summary: 'disable a user: no more logins, and every session, link and API token revoked',
    load: async () => (await import('./disable.js')).disableCommand,
  },
  {
    name: 'enable',
    summary: 'enable a disabled user again (they log in with a new link)',
    load: async () => (await import('./enable.js')).enableCommand,
  },
  {
    name: 'sessions',
    summary: 'list live sessions and API tokens (of one user, or of everyone)',
    load: async () => (await import('./sessions.js')).sessionsCommand,
  },
  {
    name: 'logout',
    summary: 'end every session (and unused link) of a user, on every site',
    load: async () => (await import('./logout.js')).logoutCommand,
  },
  {
    name: 'mint',
    summary: 'issue a single-use login link by hand and print it (nothing is mailed)',
    load: async () => (await import('./mint.js')).mintCommand,
  },
  {
    name: 'token',
    summary: 'app passwords: create one (its reveal link mailed to the person), list them, revoke one',
    load: async () => (await import('./token.js')).tokenCommand,
  },
  {
    name: 'check',
    summary: 'check the config, the database and its migrations, the mail transport and the templates',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'migrate',
    summary: 'apply pending database migrations (after an upgrade)',
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    name: 'audit',
    summary: 'show the audit trail, newest first: logins, logouts, links sent, denials, admin changes',
    load: async () => (await import('./audit.js')).auditCommand,
  },
];
