import crypto from 'node:crypto';

import { LRUCache } from 'lru-cache';

import { ListeningCache, Mark } from '../db/listening-cache';

/** The channel the session table's trigger notifies (see the notify_session_changes migration). */
export const SESSION_CHANGE_CHANNEL = 'nadipass_session_change';

/** Sessions kept; the least recently used go first. */
const SESSIONS_KEPT = 10_000;

interface KeptSession {
  /** The stored session as JSON: every read gets a copy of its own to change. */
  json: string;
  /** When the stored session expires (ms since the epoch), as the database last said. */
  expire: number;
  /** The hash of its id, as change notices name it. */
  hash: string;
}

/** How change notices name a session: the SHA-256 of its id, in hex. */
function hashOf(sid: string): string {
  return crypto.createHash('sha256').update(sid, 'utf8').digest('hex');
}

/**
 * Live sessions kept in memory per instance, so that a signed-in page does not read its session
 * from the database each time. Every write to the session table, by any instance, notifies its
 * key (LISTEN/NOTIFY, see ListeningCache) and the session is dropped as the notice arrives: a
 * sign-out anywhere ends the session everywhere within milliseconds. The store writes through
 * PostgreSQL as before; this only spares the reads.
 */
export class SessionCache extends ListeningCache {
  // By session id; notices name the hash of the id, so the hash of each kept id is kept too.
  private readonly hashes = new Map<string, string>();
  private readonly sessions = new LRUCache<string, KeptSession>({
    max: SESSIONS_KEPT,
    dispose: (kept) => this.hashes.delete(kept.hash),
  });

  constructor(url: string) {
    super(url, SESSION_CHANGE_CHANNEL, 'session cache');
  }

  protected clear(): void {
    this.forgetNotices();
    this.sessions.clear();
    this.hashes.clear();
  }

  /** Drops the session a notice names (the hex SHA-256 of its id), or every session (`*`). */
  invalidate(payload: string): void {
    if (!/^[0-9a-f]{64}$/.test(payload)) {
      this.clear();

      return;
    }

    this.noticed(payload);
    const sid = this.hashes.get(payload);
    if (sid !== undefined) {
      this.sessions.delete(sid);
    }
  }

  /** A copy of the live session kept for `sid`, null when none is kept or it has expired. */
  get(sid: string, now = Date.now()): object | null {
    if (!this.active) {
      return null;
    }

    const kept = this.sessions.get(sid);

    return kept && kept.expire >= now ? (JSON.parse(kept.json) as object) : null;
  }

  /** Keeps a session read from the database since `since`, unless a notice about it came first. */
  keep(sid: string, session: object, expire: Date, since: Mark): void {
    const hash = hashOf(sid);
    if (this.mayKeep(hash, since)) {
      this.sessions.set(sid, { json: JSON.stringify(session), expire: expire.getTime(), hash });
      this.hashes.set(hash, sid);
    }
  }

  /** Drops a session this instance is writing or deleting, before its own notice comes back. */
  forget(sid: string): void {
    this.invalidate(hashOf(sid));
  }
}
