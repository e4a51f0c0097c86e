import { AppError } from '../errors/app-error.js';

export interface HermeticConfigParams {
  /** Absolute folder that holds everything Apache writes: logs/, run/, static/. */
  readonly root: string;
  /** Apache listens on 127.0.0.1 at this port. */
  readonly httpPort: number;
  /** The forgetpw daemon's port on 127.0.0.1. */
  readonly fcgiPort: number;
  /** Replaces the example's DocumentRoot. */
  readonly docRoot: string;
  /** Appended verbatim after the example (e.g. a CGI folder for tests). */
  readonly extra?: string;
  /**
   * More names of the example's site (`ServerAlias`), as a person adds theirs: a local demo
   * or test reaches it as 127.0.0.1, which the example's default vhost would refuse.
   */
  readonly aliases?: readonly string[];
}

/** Debian's apache2-bin layout. */
const MODULES_DIR = '/usr/lib/apache2/modules';

/**
 * What Debian's apache2.conf and `a2enmod authnz_fcgi proxy_fcgi rewrite headers alias mime`
 * would load (negotiation is on by default there). core, so, log_config, logio and unixd are compiled in: LoadModule on them fails.
 */
const MODULES = [
  'mpm_event',
  'authn_core',
  'authz_core',
  'authz_user',
  'authnz_fcgi',
  'proxy',
  'proxy_fcgi',
  'rewrite',
  'headers',
  'mime',
  'negotiation',
  'dir',
  'alias',
  'cgid',
] as const;

/**
 * Turns the text of apache-example.conf into a config for an Apache started as an ordinary
 * process (`apache2 -f FILE -DFOREGROUND`) that reads nothing from /etc/apache2 and writes only
 * below `root`. The example is kept as written except for its ports and folders, so a test of
 * the hermetic server is a test of the file people paste. Throws when one of those is no longer
 * in the example: a silent miss would leave the copy pointing at port 80 or /var/www.
 */
export function hermeticConfig(example: string, p: HermeticConfigParams): string {
  const substitutions: ReadonlyArray<readonly [string, string]> = [
    ['*:80', `*:${String(p.httpPort)}`],
    ['127.0.0.1:10101', `127.0.0.1:${String(p.fcgiPort)}`],
    ['/var/www/html', p.docRoot],
    ['/var/www/forgetpw', `${p.root}/static`],
  ];
  let site = example;
  for (const [from, to] of substitutions) {
    if (!site.includes(from)) {
      throw new AppError('INTERNAL', `the Apache example config no longer mentions ${from}`);
    }
    site = site.replaceAll(from, to);
  }
  // UseCanonicalName On builds redirects from the ServerName: give it the port Apache listens on.
  site = site.replace(
    /^( *)ServerName site\.example\n/m,
    (_, indent: string) =>
      `${indent}ServerName site.example:${String(p.httpPort)}\n${aliasLine(indent, p.aliases ?? [])}`,
  );
  return [preamble(p), '# ---- apache-example.conf ----', site, '# ---- extra ----', p.extra ?? '', ''].join(
    '\n',
  );
}

function aliasLine(indent: string, aliases: readonly string[]): string {
  return aliases.length === 0 ? '' : `${indent}ServerAlias ${aliases.join(' ')}\n`;
}

/** The part of Debian's apache2.conf, ports.conf and mods-enabled/ the example relies on. */
function preamble(p: HermeticConfigParams): string {
  const q = (path: string): string => JSON.stringify(path);
  return [
    `ServerRoot ${q(p.root)}`,
    `DefaultRuntimeDir ${q(`${p.root}/run`)}`,
    `PidFile ${q(`${p.root}/run/httpd.pid`)}`,
    `ErrorLog ${q(`${p.root}/logs/error.log`)}`,
    'LogLevel warn',
    `Listen 127.0.0.1:${String(p.httpPort)}`,
    'ServerName 127.0.0.1',
    // Started as root, the children switch to these; ignored when started by anyone else.
    'User nobody',
    'Group nogroup',
    `Define APACHE_LOG_DIR ${q(`${p.root}/logs`)}`,
    ...MODULES.map((m) => `LoadModule ${m}_module ${MODULES_DIR}/mod_${m}.so`),
    'TypesConfig /etc/mime.types',
    'DirectoryIndex index.html',
    `ScriptSock ${q(`${p.root}/run/cgid.sock`)}`,
    '<Directory />',
    '  Options FollowSymLinks',
    '  AllowOverride None',
    '  Require all denied',
    '</Directory>',
    // Debian grants /var/www/; the example's DocumentRoot sits below it there.
    `<Directory ${q(p.docRoot)}>`,
    '  Options FollowSymLinks',
    '  AllowOverride None',
    '  Require all granted',
    '</Directory>',
    '<FilesMatch "^\\.ht">',
    '  Require all denied',
    '</FilesMatch>',
  ].join('\n');
}
