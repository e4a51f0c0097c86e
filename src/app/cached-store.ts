/**
 * The hot path's two reads (session by token hash, access-list rows) answered from
 * memory for a few seconds (issue 5, PEERS §4: oauth2-proxy's 3 s cache with locking
 * ended the storms of parallel asset requests). The bound, documented in the README:
 * a write made through THIS store is seen at once; a write made by another daemon (or
 * `forgetpw` on another host) is seen within `ttlSeconds`, because every entry is
 * dated from the moment its query started.
 */
import type { AclRow } from '../policy/acl-row.js';
import type { Clock } from '../tokens/clock.js';
import type { SessionView } from '../tokens/token-record.js';
import type { Store } from '../flows/store.js';
import { NOT_AT_HAND, type NotAtHand } from '../flows/reads-at-hand.js';

export interface CachedStoreOptions {
  /** How long an answer may be reused; 0 turns the cache off. */
  readonly ttlSeconds: number;
  /** Entries kept per cache at most (least recently used go first). */
  readonly size: number;
  readonly clock: Clock;
}

/**
 * Wraps `store`, overriding only what it caches or must invalidate; every other method
 * (present or added to the ports later) is the store's own, by spreading.
 */
export function createCachedStore(store: Store, options: CachedStoreOptions): Store {
  if (options.ttlSeconds <= 0) return store;
  const { tokens, users, acl, appPasswords } = store;
  const sessions = new TtlCache<SessionView | undefined>(options, (hash) => tokens.session(hash));
  // Every caller gets the same (frozen) array until the entry goes.
  const rows = new TtlCache<readonly AclRow[]>(options, async (key) => {
    const [domains, addresses] = JSON.parse(key) as [string[], string[]];
    return Object.freeze(await acl.find(domains, addresses));
  });
  const sites = new TtlCache<boolean>(options, (host) => acl.namesSite(host));
  // A burst of requests whose slide came due together writes it once (SPEC §4).
  const touching = new Map<string, Promise<void>>();

  /** Runs a write, then forgets what it may have changed, whether it succeeded or not. */
  const writing = async <T>(write: Promise<T>, forget: () => void): Promise<T> => {
    try {
      return await write;
    } finally {
      forget();
    }
  };

  return {
    ...store,
    atHand: {
      session: (hash) => sessions.peek(hash),
      aclRows: (domains, addresses) => rows.peek(rowsKey(domains, addresses)),
      namesSite: (host) => sites.peek(host),
    },
    tokens: {
      ...tokens,
      session: (hash) => sessions.get(hash),
      // A token is never looked up before it exists, but a cached "not found" must not outlive it.
      insert: (token) => writing(tokens.insert(token), () => sessions.forget(token.hash)),
      touch: (hash, expiresAt, now) => {
        const pending = touching.get(hash);
        if (pending !== undefined) return pending;
        const write = writing(tokens.touch(hash, expiresAt, now), () => {
          touching.delete(hash);
          sessions.forget(hash);
        });
        touching.set(hash, write);
        return write;
      },
      revoke: (hash, now) => writing(tokens.revoke(hash, now), () => sessions.forget(hash)),
      redeemLink: (redemption) =>
        writing(tokens.redeemLink(redemption), () => {
          sessions.forget(redemption.session.hash);
          if (redemption.replaces !== undefined) sessions.forget(redemption.replaces);
        }),
      revokeUser: (userId, now, includeApi) =>
        writing(tokens.revokeUser(userId, now, includeApi), () =>
          sessions.forgetWhere((view) => view?.user.id === userId),
        ),
      remove: (hash) => writing(tokens.remove(hash), () => sessions.forget(hash)),
    },
    appPasswords: {
      ...appPasswords,
      revoke: async (id, now, userId) => {
        const revoked = await appPasswords.revoke(id, now, userId);
        if (revoked?.tokenHash != null) sessions.forget(revoked.tokenHash);
        return revoked;
      },
    },
    users: {
      ...users,
      setDisabled: (email, at) =>
        writing(users.setDisabled(email, at), () =>
          sessions.forgetWhere((view) => view?.user.email === email),
        ),
    },
    acl: {
      ...acl,
      find: (domains, addresses) => rows.get(rowsKey(domains, addresses)),
      namesSite: (host) => sites.get(host),
      put: (changes, now) =>
        writing(acl.put(changes, now), () => {
          rows.forgetWhere(() => true);
          sites.forgetWhere(() => true);
        }),
    },
  };
}

/**
 * The access-list cache's key for a query. The policy hands the same candidate arrays back for
 * the same (host, address) (flows/is-allowed.ts), so the key is remembered per array pair and
 * not serialised again on every check. The key is the query's own JSON, read back by a reload.
 */
const rowsKeys = new WeakMap<readonly string[], { addresses: readonly string[]; key: string }>();

function rowsKey(domains: readonly string[], addresses: readonly string[]): string {
  const known = rowsKeys.get(domains);
  if (known?.addresses === addresses) return known.key;
  const key = JSON.stringify([domains, addresses]);
  rowsKeys.set(domains, { addresses, key });
  return key;
}

interface Entry<V> {
  readonly value: V;
  /** The value as every hit hands it out: one promise per entry, not one per check. */
  readonly answer: Promise<V>;
  readonly expiresAt: number;
  /** From here on a hit also reloads the entry, in the background (see `TtlCache`). */
  readonly refreshAt: number;
  /** Hit since it was stored or last passed over for eviction (see `#store`). */
  used: boolean;
}

/**
 * A map bounded by entry count, least recently used entries going first, whose entries expire,
 * with one query per key at a time (single-flight). `forget*` also detaches queries in flight:
 * they still answer their callers but are not stored, and later callers start anew.
 *
 * Refresh ahead: a hit in the last quarter of an entry's life is answered from the entry and
 * starts its reload (one per key), so a key in use is read again before it expires and a check
 * never waits for the database only because `cache.ttl` ran out (with every entry expiring
 * mid-traffic, one bench check in 20 to 40 did; BENCHMARKS, session 10). The bound is unchanged:
 * an entry is dated from the moment its query started, and is never handed out past the ttl.
 *
 * Recency is kept the "second chance" way (CLOCK): a hit only marks its entry, and eviction
 * passes over a marked entry once, moving it to the young end. Moving every hit (a delete and a
 * set on the Map) made the Map rebuild its table every few thousand checks, garbage that lived
 * long enough to reach the old generation (issue 18).
 */
class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #inFlight = new Map<string, Promise<V>>();
  readonly #load: (key: string) => Promise<V>;
  readonly #ttlMs: number;
  readonly #refreshMs: number;
  readonly #size: number;
  readonly #clock: Clock;
  /** Bumped by every forget: a query started before it may have read what was changed. */
  #generation = 0;

  constructor(options: CachedStoreOptions, load: (key: string) => Promise<V>) {
    this.#load = load;
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#refreshMs = this.#ttlMs * 0.75;
    this.#size = Math.max(1, options.size);
    this.#clock = options.clock;
  }

  get(key: string): Promise<V> {
    const now = this.#clock.now();
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (now < entry.expiresAt) {
        this.#hit(key, entry, now);
        return entry.answer;
      }
      this.#entries.delete(key);
    }
    return this.#inFlight.get(key) ?? this.#query(key, now);
  }

  /** The value `get` would hand out at once, or NOT_AT_HAND when it would have to load it. */
  peek(key: string): V | NotAtHand {
    const entry = this.#entries.get(key);
    if (entry === undefined) return NOT_AT_HAND;
    const now = this.#clock.now();
    if (now >= entry.expiresAt) return NOT_AT_HAND;
    this.#hit(key, entry, now);
    return entry.value;
  }

  forget(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
    this.#inFlight.delete(key);
  }

  /** Forgets the entries whose value matches, and every query in flight (its value is unknown yet). */
  forgetWhere(matches: (value: V) => boolean): void {
    this.#generation++;
    this.#inFlight.clear();
    for (const [key, entry] of this.#entries) {
      if (matches(entry.value)) this.#entries.delete(key);
    }
  }

  #hit(key: string, entry: Entry<V>, now: number): void {
    entry.used = true;
    if (now < entry.refreshAt || this.#inFlight.has(key)) return;
    // A reload that fails (the database away) changes nothing: the entry expires at its time,
    // and the first read after that asks the store itself, and fails closed.
    this.#query(key, now).catch(() => undefined);
  }

  #query(key: string, now: number): Promise<V> {
    const generation = this.#generation;
    const query = this.#load(key).then(
      (value) => {
        if (this.#inFlight.get(key) === query) this.#inFlight.delete(key);
        if (generation === this.#generation) this.#store(key, value, now);
        return value;
      },
      (error: unknown) => {
        if (this.#inFlight.get(key) === query) this.#inFlight.delete(key);
        throw error;
      },
    );
    this.#inFlight.set(key, query);
    return query;
  }

  #store(key: string, value: V, readAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, {
      value,
      answer: Promise.resolve(value),
      expiresAt: readAt + this.#ttlMs,
      refreshAt: readAt + this.#refreshMs,
      used: false,
    });
    // The oldest entry goes, unless it was hit since: then it moves to the young end, unmarked.
    // Each pass unmarks what it moves, so this ends within two rounds of the map.
    while (this.#entries.size > this.#size) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry<V>];
      this.#entries.delete(oldestKey);
      if (oldest.used && oldestKey !== key) {
        oldest.used = false;
        this.#entries.set(oldestKey, oldest);
      }
    }
  }
}
