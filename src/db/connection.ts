import { Config } from '../config';
import { createDb, Db, migrateLatest } from './index';
import { startEmbeddedDatabase } from './embedded';

export interface Connection {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or to the embedded PostgreSQL when none is set, and migrates. */
export async function connect(config: Config, options: { migrate?: boolean } = {}): Promise<Connection> {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedDatabase(config.dataDir, config.embeddedPgPort);
  const url = config.databaseUrl ?? embedded!.url;
  const db = createDb(url);
  if (options.migrate !== false) {
    await migrateLatest(db);
  }

  return {
    db,
    url,
    embedded: embedded !== null,
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
