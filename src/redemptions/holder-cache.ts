import { LRUCache } from 'lru-cache';

import { Queryable } from '../db';
import { cachesByPool, ListeningCache, Mark } from '../db/listening-cache';
import type { UsageCounters, UsageTaken } from '../offers/repository';

/** The channel the holder tables' triggers notify (see the notify_holder_changes migration). */
export const HOLDER_CHANGE_CHANNEL = 'nadipass_holder_change';

/** Entries kept of each kind; the least recently scanned go first. */
const ENTRIES_KEPT = 20_000;

/**
 * How long an entry may serve without being read again from the database. Change notices drop
 * entries at once; this only bounds what a change made with triggers switched off could leave.
 */
const ENTRY_TTL_MS = 5 * 60_000;

interface Kept<V> {
  value: V;
  /** The notice that drops it: `m<member id>` or `h<holder key>`. */
  tag: string;
}

/**
 * What a scan reads about a card or voucher and its holder, kept in memory per instance: the
 * credential with its holder and standing on a business date, and the holder's usage counters.
 * A scan of a credential kept here reads nothing from the database.
 *
 * PostgreSQL tells every instance when a member, dependant, paid period, card, voucher or usage
 * counter changes (LISTEN/NOTIFY, see ListeningCache): everything kept about that member or
 * holder is dropped as the notice arrives, within milliseconds of the commit, so a card revoked
 * or a voucher used a moment ago is refused at the next scan. A load that began before a notice
 * about what it read is not kept. Redemptions never trust memory: they take their uses in one
 * conditional statement, which checks and counts in the database.
 */
export class HolderCache extends ListeningCache {
  private readonly credentials = this.store<object>();
  private readonly usage = this.store<UsageTaken>();
  private readonly byTag = new Map<string, Set<string>>();

  constructor(url: string) {
    super(url, HOLDER_CHANGE_CHANNEL, 'holder cache');
  }

  private store<V extends object>(): LRUCache<string, Kept<V>> {
    return new LRUCache<string, Kept<V>>({
      max: ENTRIES_KEPT,
      ttl: ENTRY_TTL_MS,
      // Whether evicted, expired, replaced or dropped: the tag no longer names this key.
      dispose: (kept, key) => {
        const keys = this.byTag.get(kept.tag);
        keys?.delete(key);
        if (keys?.size === 0) {
          this.byTag.delete(kept.tag);
        }
      },
    });
  }

  protected clear(): void {
    this.forgetNotices();
    this.credentials.clear();
    this.usage.clear();
    this.byTag.clear();
  }

  /** Drops what is kept about a member (`m<id>`) or a holder's usage (`h<key>`); `*`: all. */
  invalidate(payload: string): void {
    if (!/^[mh][A-Za-z0-9]+$/.test(payload)) {
      this.clear();

      return;
    }

    this.noticed(payload);
    for (const key of [...(this.byTag.get(payload) ?? [])]) {
      this.credentials.delete(key);
      this.usage.delete(key);
    }
  }

  private keep<V extends object>(
    store: LRUCache<string, Kept<V>>,
    key: string,
    tag: string,
    value: V,
    since: Mark,
  ): void {
    if (!this.mayKeep(tag, since)) {
      return;
    }

    store.set(key, { value: deepFreeze(value), tag });
    let keys = this.byTag.get(tag);
    if (!keys) {
      keys = new Set();
      this.byTag.set(tag, keys);
    }
    keys.add(key);
  }

  /** A credential kept under `key`, or undefined. Kept values are frozen: copy to change. */
  credential<V extends object>(key: string): V | undefined {
    return this.active ? (this.credentials.get(`c:${key}`)?.value as V | undefined) : undefined;
  }

  /** Keeps a credential of member `memberId` loaded since `since`, unless a notice came first. */
  keepCredential(key: string, memberId: number, value: object, since: Mark): void {
    this.keep(this.credentials, `c:${key}`, `m${memberId}`, value, since);
  }

  /** A holder's usage counters kept for exactly these counters, or undefined. */
  usageOf(holderKey: string, counters: UsageCounters): UsageTaken | undefined {
    return this.active ? this.usage.get(usageKey(holderKey, counters))?.value : undefined;
  }

  /** Keeps a holder's usage counters read since `since`, unless a notice came first. */
  keepUsage(holderKey: string, counters: UsageCounters, used: UsageTaken, since: Mark): void {
    this.keep(this.usage, usageKey(holderKey, counters), `h${holderKey}`, used, since);
  }
}

function usageKey(holderKey: string, counters: UsageCounters): string {
  return `u:${holderKey}|${counters.offerIds.join(',')}|${counters.periodKeys.join(',')}`;
}

/** Freezes a value and all it holds (a Map stays writable: it is never handed out to change). */
function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (!(value instanceof Map) && !(value instanceof Date)) {
      for (const inner of Object.values(value)) {
        deepFreeze(inner);
      }
    }
  }

  return value;
}

const holderCaches = cachesByPool<HolderCache>();

/** Serves holder reads made through `db` (the pool itself) from `cache`. */
export const useHolderCache = holderCaches.use;

/** The cache serving holder reads made through exactly this query runner, if any. */
export const holderCacheFor = holderCaches.of;

/**
 * Drops at once what this instance keeps about a member and a holder's usage, after a change it
 * committed itself: its own next scan must not wait for the change notice.
 */
export function forgetHolder(db: Queryable, memberId: number, holderKey?: string): void {
  const cache = holderCacheFor(db);
  cache?.invalidate(`m${memberId}`);
  if (holderKey) {
    cache?.invalidate(`h${holderKey}`);
  }
}
