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
}

/** The key of a session in memory and in change notices: the SHA-256 of its id, in hex. */
function keyOf(sid: string): string {
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
  private readonly sessions = new LRUCache<string, KeptSession>({ max: SESSIONS_KEPT });

  constructor(url: string) {
    super(url, SESSION_CHANGE_CHANNEL, 'session cache');
  }

  protected clear(): void {
    this.forgetNotices();
    this.sessions.clear();
  }

  /** Drops the session a notice names (the hex SHA-256 of its id), or every session (`*`). */
  invalidate(payload: string): void {
    if (!/^[0-9a-f]{64}$/.test(payload)) {
      this.clear();

      return;
    }

    this.noticed(payload);
    this.sessions.delete(payload);
  }

  /** A copy of the live session kept for `sid`, null when none is kept or it has expired. */
  get(sid: string, now = Date.now()): object | null {
    if (!this.active) {
      return null;
    }

    const kept = this.sessions.get(keyOf(sid));

    return kept && kept.expire >= now ? (JSON.parse(kept.json) as object) : null;
  }

  /** Keeps a session read from the database since `since`, unless a notice about it came first. */
  keep(sid: string, session: object, expire: Date, since: Mark): void {
    const key = keyOf(sid);
    if (this.mayKeep(key, since)) {
      this.sessions.set(key, { json: JSON.stringify(session), expire: expire.getTime() });
    }
  }

  /** Drops a session this instance is writing or deleting, before its own notice comes back. */
  forget(sid: string): void {
    this.invalidate(keyOf(sid));
  }
}
