import { loadConfig } from './src/config';
import { migrationSource } from './migrations';

// For the knex CLI against a PostgreSQL server (DATABASE_URL). The app itself migrates at start,
// and `npm run cli -- db:migrate` also works on the embedded database.
const config = loadConfig();

export default {
  client: 'pg',
  connection: config.databaseUrl,
  migrations: { migrationSource, tableName: 'knex_migrations' },
};
