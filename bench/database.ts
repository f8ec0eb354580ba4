import path from 'node:path';

import { createDb, Db } from '../src/db';
import { startEmbeddedDatabase } from '../src/db/embedded';

/** Where the benchmark keeps its embedded PostgreSQL and its start-up data folder. */
export const BENCH_DATA_DIR = path.resolve(process.env.BENCH_DATA_DIR ?? path.join(__dirname, 'data'));

/** The benchmark's own embedded PostgreSQL port, apart from a developer's `npm start`. */
const BENCH_PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54398);

export interface BenchDatabase {
  url: string;
  db: Db;
  /** 'server' for a PostgreSQL URL, 'embedded' for the benchmark's own embedded PostgreSQL. */
  kind: 'server' | 'embedded';
  close(): Promise<void>;
}

/** Creates the database a server URL names when it is missing (the server must allow it). */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`The benchmark database name "${name}" must be a plain lower-case identifier`);
  }

  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = createDb(server.toString(), { max: 1 });
  try {
    const { rows } = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (rows.length === 0) {
      await admin.raw(`create database ${name}`);
    }
  } finally {
    await admin.destroy();
  }
}

/**
 * The benchmark's database: BENCH_DATABASE_URL, else DATABASE_URL (created when missing), else
 * an embedded PostgreSQL of its own in bench/data, so that `npm run bench` needs nothing else.
 */
export async function openBenchDatabase(pool: { max?: number } = {}): Promise<BenchDatabase> {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) {
    await ensureDatabase(serverUrl);
    const db = createDb(serverUrl, { max: pool.max ?? 4 });

    return { url: serverUrl, db, kind: 'server', close: () => db.destroy() };
  }

  const embedded = await startEmbeddedDatabase(BENCH_DATA_DIR, BENCH_PG_PORT);
  const db = createDb(embedded.url, { max: pool.max ?? 4 });

  return {
    url: embedded.url,
    db,
    kind: 'embedded',
    async close() {
      await db.destroy();
      await embedded.stop();
    },
  };
}
