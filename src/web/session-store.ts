import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';

import { warnUnlessStopped } from '../logger';
import { SessionCache } from './session-cache';

// Session pools being stopped: see expectConnectionsClosed.
const stopping = new WeakSet<pg.Pool>();

/**
 * The connections the session store reads and writes through. An idle connection that the
 * database closes (a restart) is logged and replaced on the next request; unheard, its error
 * would stop the process.
 */
export function openSessionPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 4, application_name: 'nadipass-sessions' });
  pool.on('error', (error) => {
    const message = 'sessions: an idle database connection was closed';
    warnUnlessStopped(() => stopping.has(pool), { err: error }, message);
  });

  return pool;
}

/**
 * Says that the app is stopping: from now on an idle connection closed by the database is
 * expected (Ctrl-C stops the embedded PostgreSQL at the same moment) and not logged.
 */
export function expectConnectionsClosed(pool: pg.Pool): void {
  stopping.add(pool);
}

/** How long a session's stored expiry may lag behind its last request. */
export const TOUCH_INTERVAL_MS = 60_000;

const PgStore = connectPgSimple(session);

/**
 * Sessions in PostgreSQL (the `session` table), so that every instance sees every login. A
 * session idles out 12 hours after its last request; writing that new expiry on every request
 * would make each page a database write, so this store writes it at most once a minute per
 * session and instance: a session may then outlive its last request by 12 hours and a minute.
 * A changed session (sign-in, language, sign-out) is always saved at once.
 */
export class SessionStore extends PgStore {
  private readonly touchedAt = new Map<string, number>();
  private forgottenAt = 0;
  private readonly pool: pg.Pool;
  private readonly cache: SessionCache | null;

  constructor(options: { pool: pg.Pool; prune: boolean; cache?: SessionCache }) {
    super({
      pool: options.pool,
      tableName: 'session',
      createTableIfMissing: false,
      ...(options.prune ? {} : { pruneSessionInterval: false }),
    });
    this.pool = options.pool;
    this.cache = options.cache ?? null;
  }

  /**
   * Reads a live session, from memory when the session cache has it, otherwise as the
   * PostgreSQL store does but as a named statement that each connection plans once: every
   * portal request reads its session.
   */
  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    const kept = this.cache?.get(sid);
    if (kept) {
      callback(null, kept as session.SessionData);

      return;
    }

    const since = this.cache?.mark() ?? 0;
    const query = {
      name: 'nadipass_session_get',
      text: 'select sess, expire from session where sid = $1 and expire >= now()',
      values: [sid],
    };
    this.pool.query(query, (error: Error | undefined, result: pg.QueryResult) => {
      if (error) {
        callback(error);

        return;
      }
      const row = result.rows[0];
      if (row) {
        this.cache?.keep(sid, row.sess, row.expire, since);
      }
      callback(null, row ? (row.sess as session.SessionData) : null);
    });
  }

  /** Runs a write of session `sid`, dropping its copy in memory before and after. */
  private writing(
    sid: string,
    write: (done: (err?: unknown) => void) => void,
    callback?: (err?: unknown) => void,
  ): void {
    this.cache?.forget(sid);
    write((error?: unknown) => {
      this.cache?.forget(sid);
      callback?.(error);
    });
  }

  override touch(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    const now = Date.now();
    const last = this.touchedAt.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
      callback?.();

      return;
    }

    this.forgetOldTouches(now);
    this.touchedAt.set(sid, now);
    this.writing(sid, (done) => super.touch(sid, sess, done), (error?: unknown) => {
      if (error) {
        this.touchedAt.delete(sid);
      }
      callback?.(error);
    });
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    this.touchedAt.set(sid, Date.now());
    this.writing(sid, (done) => super.set(sid, sess, done), callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.touchedAt.delete(sid);
    this.writing(sid, (done) => super.destroy(sid, done), callback);
  }

  /** Drops, once an interval, what is older than the interval: the map holds recent sessions. */
  private forgetOldTouches(now: number): void {
    if (now - this.forgottenAt < TOUCH_INTERVAL_MS) {
      return;
    }
    this.forgottenAt = now;
    for (const [sid, at] of this.touchedAt) {
      if (now - at >= TOUCH_INTERVAL_MS) {
        this.touchedAt.delete(sid);
      }
    }
  }
}
