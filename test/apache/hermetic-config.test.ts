import { describe, expect, it } from 'vitest';
import { hermeticConfig } from '../../src/apache/hermetic-config.js';

const EXAMPLE = [
  'AuthnzFcgiDefineProvider authn ForgetPasswords fcgi://127.0.0.1:10101/',
  '<VirtualHost *:80>',
  '  DocumentRoot "/var/www/html"',
  '  CustomLog ${APACHE_LOG_DIR}/access.log common',
  '  ProxyPass /logout fcgi://127.0.0.1:10101/logout',
  '  Alias /logged-out "/var/www/forgetpw/logged-out.xhtml"',
  '</VirtualHost>',
].join('\n');
const PARAMS = { root: '/tmp/r', httpPort: 18080, fcgiPort: 20202, docRoot: '/tmp/r/htdocs' };

describe('hermeticConfig', () => {
  it('keeps the example, with its ports and folders replaced', () => {
    const conf = hermeticConfig(EXAMPLE, PARAMS);

    expect(conf).toContain(
      [
        'AuthnzFcgiDefineProvider authn ForgetPasswords fcgi://127.0.0.1:20202/',
        '<VirtualHost *:18080>',
        '  DocumentRoot "/tmp/r/htdocs"',
        '  CustomLog ${APACHE_LOG_DIR}/access.log common',
        '  ProxyPass /logout fcgi://127.0.0.1:20202/logout',
        '  Alias /logged-out "/tmp/r/static/logged-out.xhtml"',
        '</VirtualHost>',
      ].join('\n'),
    );
  });

  it('listens on 127.0.0.1 only and keeps its files below root', () => {
    const conf = hermeticConfig(EXAMPLE, PARAMS);

    expect(conf).toMatch(/^Listen 127\.0\.0\.1:18080$/m);
    expect(conf).toMatch(/^ServerRoot "\/tmp\/r"$/m);
    expect(conf).toMatch(/^PidFile "\/tmp\/r\/run\/httpd\.pid"$/m);
    expect(conf).toMatch(/^Define APACHE_LOG_DIR "\/tmp\/r\/logs"$/m);
  });

  it('appends extra after the example', () => {
    const conf = hermeticConfig(EXAMPLE, { ...PARAMS, extra: 'LogLevel debug' });

    expect(conf.indexOf('LogLevel debug')).toBeGreaterThan(conf.indexOf('</VirtualHost>'));
  });

  it('refuses an example that no longer names the daemon port', () => {
    expect(() => hermeticConfig(EXAMPLE.replaceAll('10101', '9000'), PARAMS)).toThrow(/127\.0\.0\.1:10101/);
  });
});
