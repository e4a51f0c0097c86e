import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { freshSqlite } from '../support/databases.js';

describe('openStore', () => {
  describe('on SQLite', () => {
    it('sets WAL, a busy timeout, foreign keys and NORMAL sync on the connection', async () => {
      const db = freshSqlite();
      const store = await openStore({ dsn: db.dsn }, { baseDir: db.dir });
      try {
        const pragma = async (name: string): Promise<unknown> => {
          const rows = await store.knex.raw<Array<Record<string, unknown>>>(`pragma ${name}`);
          return Object.values(rows[0] ?? {})[0];
        };
        expect(store.dialect).toBe('sqlite');
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('busy_timeout')).toBe(5000);
        expect(await pragma('foreign_keys')).toBe(1);
        expect(await pragma('synchronous')).toBe(1);
      } finally {
        await store.close();
        db.cleanup();
      }
    });

    it('resolves a relative file against the base folder', async () => {
      const db = freshSqlite();
      const store = await openStore({ dsn: 'sqlite://relative.db' }, { baseDir: db.dir });
      await store.close();
      expect(readdirSync(db.dir)).toContain('relative.db');
      db.cleanup();
    });

    it('writes the hash of a token to disk and never the secret', async () => {
      const db = freshSqlite();
      const store = await openStore({ dsn: db.dsn }, { baseDir: db.dir });
      const secret = randomBytes(32).toString('base64url');
      const hash = createHash('sha256').update(secret).digest('hex');
      try {
        await migrateLatest(store.knex);
        await store.tokens.insert({
          hash,
          kind: 'pending',
          userId: null,
          site: 'site.test',
          createdAt: 1,
          expiresAt: 2,
          absoluteExpiresAt: 2,
        });
      } finally {
        await store.close();
      }
      const bytes = readdirSync(db.dir)
        .map((file) => readFileSync(path.join(db.dir, file)).toString('latin1'))
        .join('');
      db.cleanup();
      expect(bytes).toContain(hash);
      expect(bytes).not.toContain(secret);
    });

    it('reports DB_UNAVAILABLE for a file in a missing folder', async () => {
      const db = freshSqlite();
      await expect(
        openStore({ dsn: 'sqlite://missing/dir/x.db' }, { baseDir: db.dir }),
      ).rejects.toMatchObject({
        code: 'DB_UNAVAILABLE',
      });
      db.cleanup();
    });
  });

  describe('on PostgreSQL', () => {
    it('fails fast with DB_UNAVAILABLE and no password when nothing listens', async () => {
      const started = Date.now();
      const opening = openStore({ dsn: 'postgres://gate:s3cret@127.0.0.1:1/fp' }, { baseDir: '.' });
      await expect(opening).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
      const message = await opening.catch((error: Error) => error.message);
      expect(message).toContain('postgres://gate:***@127.0.0.1:1/fp');
      expect(message).not.toContain('s3cret');
      expect(Date.now() - started).toBeLessThan(6000);
    });

    it('gives up after the connect timeout when the server never answers', async () => {
      const sockets: Socket[] = [];
      const silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      try {
        await expect(
          openStore({ dsn: `postgres://gate@127.0.0.1:${port}/fp?connect_timeout=0.5` }, { baseDir: '.' }),
        ).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
        expect(Date.now() - started).toBeGreaterThanOrEqual(450);
        expect(Date.now() - started).toBeLessThan(3000);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});
