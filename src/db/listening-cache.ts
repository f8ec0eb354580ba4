import pg from 'pg';

import { logger, warnUnlessStopped } from '../logger';
import type { Queryable } from './index';

/** How long to wait before listening again after the connection was lost. */
const RECONNECT_DELAY_MS = 1_000;

/** How often the listening connection is asked to answer (see `active`). */
const HEARTBEAT_MS = 250;

/**
 * How recent the last answer of the listening connection must be for memory to serve. A notice
 * committed before a question is delivered before its answer, so memory may miss only changes
 * made within this time: a card revoked a second earlier is always seen.
 */
const CONFIRMED_FOR_MS = 1_000;

/** After this long without an answer the listening connection is dropped and opened again. */
const SILENT_FOR_MS = 5_000;

/** Past this many remembered notices, loads begun before the newest are no longer kept. */
const NOTICES_REMEMBERED = 10_000;

/** Where a load stood in the stream of change notices when it began (see `mark`). */
export type Mark = number;

/**
 * Memory kept per instance in step with the database through LISTEN/NOTIFY: triggers name what
 * changed on a channel, and the subclass drops it as the notice arrives, within milliseconds of
 * the commit. While the listening connection is down, or has not answered for a second (a
 * connection can hang without closing), nothing may be served from memory (`active` is false);
 * a connection lost or silent for long is opened again, and everything is kept from nothing
 * again, since whatever changed meanwhile is unknown.
 */
export abstract class ListeningCache {
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  // When the latest question the listening connection has answered was asked.
  private confirmedAt = 0;
  // Notices by number, and the last one about each thing: a load that began before a notice
  // about what it read must not be kept.
  private notices = 0;
  private readonly noticedAt = new Map<string, number>();
  private keepFrom = 0;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    /** Names the cache in log lines. */
    private readonly name: string,
  ) {}

  /** Drops everything kept. */
  protected abstract clear(): void;

  /** Drops what a change notice names. */
  abstract invalidate(payload: string): void;

  /** Marks the start of a load, for `mayKeep`. */
  mark(): Mark {
    return this.notices;
  }

  /** Records a notice about `what`: loads of it begun earlier are not kept. */
  protected noticed(what: string): void {
    this.notices++;
    this.noticedAt.set(what, this.notices);
    if (this.noticedAt.size > NOTICES_REMEMBERED) {
      this.forgetNotices();
    }
  }

  /** Forgets past notices: no load begun before now is kept. */
  protected forgetNotices(): void {
    this.notices++;
    this.noticedAt.clear();
    this.keepFrom = this.notices;
  }

  /** Whether what a load begun at `since` read of `what` may be kept. */
  protected mayKeep(what: string, since: Mark): boolean {
    return this.active && since >= this.keepFrom && (this.noticedAt.get(what) ?? 0) <= since;
  }

  /** Starts listening; resolves once notices are being received, so the cache is in use. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.goDeaf();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /**
   * Whether entries are being served from memory: the listening connection is up and has
   * answered a question asked within the last second.
   */
  get active(): boolean {
    return this.listening && Date.now() - this.confirmedAt < CONFIRMED_FOR_MS;
  }

  /** Asks the listening connection a question; the answer confirms every notice before it. */
  protected ping(client: pg.Client): Promise<unknown> {
    return client.query('select 1');
  }

  private beat(client: pg.Client): void {
    const asked = Date.now();
    if (asked - this.confirmedAt > SILENT_FOR_MS) {
      logger.warn(`${this.name}: the listening connection stopped answering; opening a new one`);
      this.lost(client);
      void client.end().catch(() => undefined);

      return;
    }

    this.ping(client).then(
      () => {
        if (client !== this.client || asked <= this.confirmedAt) {
          return;
        }
        // After a silence, memory starts again from empty, as after a new connection.
        if (asked - this.confirmedAt >= CONFIRMED_FOR_MS) {
          this.clear();
        }
        this.confirmedAt = asked;
      },
      () => undefined,
    );
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'nadipass-cache',
    });
    client.on('notification', (message) => this.invalidate(message.payload ?? '*'));
    client.on('error', (error) => {
      const message = `${this.name}: the listening connection failed`;
      warnUnlessStopped(() => this.stopped, { err: error }, message);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    let asked: number;
    try {
      await client.connect();
      asked = Date.now();
      await client.query(`listen ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.clear();
    this.confirmedAt = asked;
    this.listening = !this.stopped;
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => this.beat(client), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  private lost(client: pg.Client): void {
    if (client !== this.client) {
      return;
    }

    this.goDeaf();
    this.client = null;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.reconnectTimer) {
      return;
    }

    this.reconnectTimer = setTimeout(() => void this.retry(), RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }

  private async retry(): Promise<void> {
    this.reconnectTimer = null;
    if (this.stopped) {
      return;
    }
    try {
      await this.listen();
    } catch (error) {
      logger.warn({ err: error }, `${this.name}: could not listen again`);
      this.scheduleRetry();
    }
  }

  private goDeaf(): void {
    this.listening = false;
    this.stopHeartbeat();
    this.clear();
  }
}

/**
 * Which cache serves reads made through which pool: one per pool, so that a transaction (or any
 * other query runner) always reads the database.
 */
export function cachesByPool<C>() {
  const caches = new WeakMap<object, C>();

  return {
    /** Serves reads made through `db` (the pool itself) from `cache`. */
    use(db: Queryable, cache: C): void {
      caches.set(db, cache);
    },
    /** The cache serving reads made through exactly this query runner, if any. */
    of(db: Queryable): C | null {
      return caches.get(db) ?? null;
    },
  };
}
