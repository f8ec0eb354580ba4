import type { NextFunction, Request, Response } from 'express';
import {
  ipKeyGenerator,
  rateLimit,
  type ClientRateLimitInfo,
  type Options,
  type Store,
} from 'express-rate-limit';

import { Queryable } from '../db';

/**
 * An express-rate-limit store in PostgreSQL, so that every instance behind the load balancer
 * counts the same hits. One row per key and window; an expired window restarts on its next hit.
 */
export class PostgresRateLimitStore implements Store {
  private windowMs = 60_000;

  constructor(
    private readonly db: Queryable,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.db('rate_limits')
      .where({ key: this.prefix + key })
      .andWhere('reset_at', '>', this.db.fn.now())
      .first('hits', 'reset_at');

    return row ? { totalHits: row.hits, resetTime: row.reset_at } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const resetAt = new Date(Date.now() + this.windowMs);
    const { rows } = await this.db.raw(
      `insert into rate_limits (key, hits, reset_at) values (?, 1, ?)
       on conflict (key) do update set
         hits = case when rate_limits.reset_at <= now() then 1 else rate_limits.hits + 1 end,
         reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at
                         else rate_limits.reset_at end
       returning hits, reset_at`,
      [this.prefix + key, resetAt],
    );

    return { totalHits: rows[0].hits, resetTime: rows[0].reset_at };
  }

  async decrement(key: string): Promise<void> {
    await this.db('rate_limits')
      .where({ key: this.prefix + key })
      .andWhere('hits', '>', 0)
      .decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.db('rate_limits').where({ key: this.prefix + key }).del();
  }
}

/**
 * Slows password guessing: at most 10 failed logins per e-mail and address in 15 minutes, and
 * 50 per address. A successful login does not count.
 */
export function loginRateLimits(db: Queryable, onLimited: (req: Request, res: Response) => void) {
  const common = {
    windowMs: 15 * 60_000,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req: Request, res: Response) => res.statusCode < 400,
    handler: (req: Request, res: Response) => onLimited(req, res),
  };
  const perAccount = rateLimit({
    ...common,
    limit: 10,
    store: new PostgresRateLimitStore(db, 'login-account:'),
    keyGenerator: (req) =>
      `${ipKeyGenerator(String(req.ip))}|${String(req.body?.email ?? '').trim().toLowerCase().slice(0, 254)}`,
  });
  const perAddress = rateLimit({
    ...common,
    limit: 50,
    store: new PostgresRateLimitStore(db, 'login-address:'),
    keyGenerator: (req) => ipKeyGenerator(String(req.ip)),
  });

  return [perAddress, perAccount] as ((req: Request, res: Response, next: NextFunction) => void)[];
}
