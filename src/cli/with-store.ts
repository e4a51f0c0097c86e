import { assertMigrated } from '../store/migrate.js';
import { openStore, type StoreHandle } from '../store/open-store.js';
import type { LoadedConfig } from './read-config.js';

/** Opens the configured database (migrated), runs `work`, always closes it. */
export async function withStore<T>(
  loaded: LoadedConfig,
  work: (store: StoreHandle) => Promise<T>,
): Promise<T> {
  const store = await openStore(loaded.config.state, { baseDir: loaded.dir });
  try {
    await assertMigrated(store.knex);
    return await work(store);
  } finally {
    await store.close();
  }
}
