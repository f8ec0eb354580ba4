import knex, { Knex } from 'knex';
import pg from 'pg';

import { migrationSource } from '../../migrations';

// NOTE: bigint columns (ids, counts) come back as JS numbers; every value we store fits easily.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Knex;
export type Tx = Knex.Transaction;
/** A query runner: the pool itself, or a transaction a service passes down. */
export type Queryable = Knex | Knex.Transaction;

/** Opens a pool on a PostgreSQL URL. */
export function createDb(url: string, pool: { min?: number; max?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: 'nadipass' },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

/** Brings the schema up to date. */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = await db.migrate.latest();

  return applied as string[];
}
