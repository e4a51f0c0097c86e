import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import { parseDsn, redactDsn } from '../../src/store/parse-dsn.js';

const BASE = '/srv/forgetpw';

function failure(dsn: string, extra: { password?: string } = {}): { code: string; message: string } {
  try {
    parseDsn({ dsn, ...extra }, BASE);
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected ${dsn} to be refused`);
}

describe('parseDsn', () => {
  describe('SQLite', () => {
    it('resolves sqlite://path relative to the base folder', () => {
      const parsed = parseDsn({ dsn: 'sqlite://data/forgetpw.db' }, BASE);
      expect(parsed).toMatchObject({
        dialect: 'sqlite',
        client: 'better-sqlite3',
        connection: { filename: '/srv/forgetpw/data/forgetpw.db' },
      });
    });

    it('takes sqlite:///path as an absolute path', () => {
      expect(parseDsn({ dsn: 'sqlite:///var/lib/forgetpw/state.db' }, BASE).connection).toEqual({
        filename: '/var/lib/forgetpw/state.db',
      });
    });

    it('decodes percent-escapes in the path', () => {
      expect(parseDsn({ dsn: 'sqlite://my%20data.db' }, BASE).connection['filename']).toBe(
        '/srv/forgetpw/my data.db',
      );
    });

    it('refuses sqlite::memory:, and lists no form it refuses as valid', () => {
      const error = failure('sqlite::memory:');
      expect(error).toMatchObject({ code: 'DSN_INVALID' });
      expect(error.message).not.toContain(':memory:, ');
      expect(error.message).toContain('sqlite:///absolute/file.db');
    });

    it('refuses a DSN that names no file', () => {
      expect(failure('sqlite://')).toMatchObject({
        code: 'DSN_INVALID',
        message: expect.stringContaining('no file'),
      });
    });

    it('refuses parameters', () => {
      expect(failure('sqlite://x.db?timeout=10').code).toBe('DSN_INVALID');
    });

    it('merges state.options into the connection and passes pool to the pool', () => {
      const parsed = parseDsn(
        { dsn: 'sqlite://x.db', options: { options: { readonly: true }, pool: { max: 1 } } },
        BASE,
      );
      expect(parsed.connection).toEqual({ filename: '/srv/forgetpw/x.db', options: { readonly: true } });
      expect(parsed.pool).toEqual({ max: 1 });
    });
  });

  describe('PostgreSQL', () => {
    it('leaves host, user and password to the defaults for postgres:///dbname', () => {
      const parsed = parseDsn({ dsn: 'postgres:///forgetpw' }, BASE);
      expect(parsed.dialect).toBe('postgres');
      expect(parsed.client).toBe('pg');
      expect(parsed.connection).toEqual({ database: 'forgetpw', connectionTimeoutMillis: 5000 });
    });

    it('reads user, password, host, port and database from the URL', () => {
      expect(parseDsn({ dsn: 'postgres://gate:s3cret@db.internal:6543/forgetpw' }, BASE).connection).toEqual({
        user: 'gate',
        password: 's3cret',
        host: 'db.internal',
        port: 6543,
        database: 'forgetpw',
        connectionTimeoutMillis: 5000,
      });
    });

    it('accepts the postgresql:// spelling', () => {
      expect(parseDsn({ dsn: 'postgresql://db.internal/forgetpw' }, BASE).connection).toMatchObject({
        host: 'db.internal',
        database: 'forgetpw',
      });
    });

    it('decodes percent-escaped credentials', () => {
      expect(parseDsn({ dsn: 'postgres://gate:p%40ss%2Fword@db/fp' }, BASE).connection['password']).toBe(
        'p@ss/word',
      );
    });

    it('unbrackets an IPv6 host', () => {
      expect(parseDsn({ dsn: 'postgres://[::1]:5432/fp' }, BASE).connection['host']).toBe('::1');
    });

    it('fills user and password the DSN lacks from state.user and state.password', () => {
      const parsed = parseDsn({ dsn: 'postgres://db/fp', user: 'gate', password: 's3cret' }, BASE);
      expect(parsed.connection).toMatchObject({ user: 'gate', password: 's3cret' });
    });

    it('keeps the credentials the DSN gives over state.user and state.password', () => {
      const parsed = parseDsn(
        { dsn: 'postgres://dsnuser:dsnpass@db/fp', user: 'gate', password: 's3cret' },
        BASE,
      );
      expect(parsed.connection).toMatchObject({ user: 'dsnuser', password: 'dsnpass' });
    });

    it('takes libpq parameters from the query string', () => {
      const parsed = parseDsn(
        {
          dsn: 'postgres:///fp?host=/var/run/postgresql&port=5433&sslmode=require&application_name=gate&connect_timeout=2&options=-c%20search_path%3Dgate',
        },
        BASE,
      );
      expect(parsed.connection).toEqual({
        host: '/var/run/postgresql',
        port: 5433,
        database: 'fp',
        ssl: { rejectUnauthorized: false },
        application_name: 'gate',
        connectionTimeoutMillis: 2000,
        options: '-c search_path=gate',
      });
    });

    it('verifies the server certificate for sslmode=verify-full', () => {
      expect(parseDsn({ dsn: 'postgres://db/fp?sslmode=verify-full' }, BASE).connection['ssl']).toBe(true);
    });

    it('lets state.options override the connection and separates pool', () => {
      const parsed = parseDsn(
        {
          dsn: 'postgres://db/fp',
          options: { host: 'replica', ssl: { ca: 'PEM' }, pool: { min: 1, max: 4 } },
        },
        BASE,
      );
      expect(parsed.connection).toMatchObject({ host: 'replica', ssl: { ca: 'PEM' }, database: 'fp' });
      expect(parsed.connection).not.toHaveProperty('pool');
      expect(parsed.pool).toEqual({ min: 1, max: 4 });
    });

    it('refuses an unknown parameter', () => {
      expect(failure('postgres://db/fp?fallback_application_name=x')).toMatchObject({
        code: 'DSN_INVALID',
        message: expect.stringContaining('fallback_application_name'),
      });
    });

    it('refuses an unknown sslmode', () => {
      expect(failure('postgres://db/fp?sslmode=sometimes').code).toBe('DSN_INVALID');
    });

    it('refuses a pool that is not a mapping', () => {
      expect(() => parseDsn({ dsn: 'postgres://db/fp', options: { pool: 4 } }, BASE)).toThrow(/pool/);
    });
  });

  describe('MariaDB and MySQL', () => {
    it('reads mysql://user:pass@host:port/db for mysql2', () => {
      expect(parseDsn({ dsn: 'mysql://gate:s%40cret@db.example.org:3307/fp' }, BASE)).toMatchObject({
        dialect: 'mysql',
        client: 'mysql2',
        connection: { host: 'db.example.org', port: 3307, database: 'fp', user: 'gate', password: 's@cret' },
        display: 'mysql://gate:***@db.example.org:3307/fp',
      });
    });

    it('takes mariadb:// as the same thing', () => {
      expect(parseDsn({ dsn: 'mariadb://gate@db/fp' }, BASE)).toMatchObject({
        dialect: 'mysql',
        connection: { host: 'db', database: 'fp', user: 'gate' },
      });
    });

    it('fills the user and password from state.user and state.password', () => {
      const parsed = parseDsn({ dsn: 'mysql://db/fp', user: 'gate', password: 'pw' }, BASE);
      expect(parsed.connection).toMatchObject({ user: 'gate', password: 'pw' });
      expect(parseDsn({ dsn: 'mysql://own@db/fp', user: 'gate' }, BASE).connection['user']).toBe('own');
    });

    it('reads a Unix socket and a connect timeout from the query', () => {
      expect(
        parseDsn({ dsn: 'mysql://gate@localhost/fp?socket=/run/mysqld/mysqld.sock&connect_timeout=2' }, BASE)
          .connection,
      ).toMatchObject({ socketPath: '/run/mysqld/mysqld.sock', connectTimeout: 2000 });
    });

    it('passes state.options to the driver and the pool to knex', () => {
      const parsed = parseDsn({ dsn: 'mysql://db/fp', options: { ssl: true, pool: { max: 4 } } }, BASE);
      expect(parsed.connection['ssl']).toBe(true);
      expect(parsed.pool).toEqual({ max: 4 });
    });

    it('refuses a DSN without a database, and unknown parameters', () => {
      expect(failure('mysql://gate@db/').message).toContain('name the database');
      expect(failure('mysql://gate@db/fp?sslmode=require').message).toContain('state.options');
    });
  });

  describe('refusals', () => {
    it('names the accepted forms for an unknown scheme', () => {
      expect(failure('oracle://db/fp').message).toContain('postgres:///dbname');
    });

    it('refuses text that is not a DSN', () => {
      expect(failure('forgetpw.db').code).toBe('DSN_INVALID');
    });
  });

  describe('secrets', () => {
    it('masks the password in what it displays', () => {
      expect(parseDsn({ dsn: 'postgres://gate:s3cret@db/fp' }, BASE).display).toBe(
        'postgres://gate:***@db/fp',
      );
    });

    it('masks a password given as a parameter, and leaves a DSN without one alone', () => {
      expect(redactDsn('postgres://db/fp?user=gate&password=s3cret')).toBe(
        'postgres://db/fp?user=gate&password=***',
      );
      expect(redactDsn('postgres://gate@db/fp')).toBe('postgres://gate@db/fp');
      expect(redactDsn('sqlite://data/forgetpw.db')).toBe('sqlite://data/forgetpw.db');
    });

    it('never puts the password in an error message', () => {
      for (const dsn of [
        'postgres://gate:s3cret@db/fp?nonsense=1',
        'postgres://gate:s3cret@db:99999/fp',
        'mysql://gate:s3cret@db/fp?bogus=1',
        'mariadb://gate:s3cret@db/',
        'postgres://db/fp?password=s3cret&bogus=1',
        'postgres://gate:s3cret@db/fp?sslmode=maybe',
      ]) {
        const { code, message } = failure(dsn);
        expect(code).toBe('DSN_INVALID');
        expect(message).not.toContain('s3cret');
      }
    });
  });
});
