import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { KeyStore } from '../../src/credentials/keys';
import { createDb, migrateLatest } from '../../src/db';
import { startEmbeddedDatabase } from '../../src/db/embedded';
import { seed } from '../../seeds/demo';
import { TEMPLATE_ENV, SERVER_ENV, databaseUrl } from './database';
import { freePort } from './ports';

declare global {
  // eslint-disable-next-line no-var
  var __nadipassTeardown: (() => Promise<void>) | undefined;
}


/**
 * Prepares one template database, migrated and loaded with the demo data; each test file then
 * copies it into a database of its own. With DATABASE_URL the tests use that PostgreSQL server;
 * without, an embedded PostgreSQL in a temporary folder.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded = async () => {};
  let tempDir: string | null = null;
  if (!serverUrl) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-test-'));
    fs.chmodSync(tempDir, 0o755);
    const embedded = await startEmbeddedDatabase(tempDir, await freePort());
    serverUrl = embedded.url;
    stopEmbedded = embedded.stop;
    process.stdout.write(`\nTests use an embedded PostgreSQL (${tempDir}).\n`);
  } else {
    process.stdout.write('\nTests use the PostgreSQL server of DATABASE_URL.\n');
  }

  const template = `nadipass_template_${process.pid}`;
  const admin = createDb(serverUrl, { max: 1 });
  await admin.raw(`drop database if exists ${template}`);
  await admin.raw(`create database ${template}`);
  await admin.destroy();

  const db = createDb(databaseUrl(serverUrl, template), { max: 2 });
  await migrateLatest(db);
  await seed(db);
  await new KeyStore(db).init();
  await db.destroy();

  process.env[SERVER_ENV] = serverUrl;
  process.env[TEMPLATE_ENV] = template;
  globalThis.__nadipassTeardown = async () => {
    const cleanup = createDb(serverUrl!, { max: 1 });
    const leftovers = await cleanup('pg_database')
      .where('datname', 'like', `nadipass_t\\_${process.pid}\\_%`)
      .orWhere('datname', template)
      .pluck('datname');
    for (const name of leftovers) {
      await cleanup.raw(`drop database if exists ${name} with (force)`);
    }
    await cleanup.destroy();
    await stopEmbedded();
    if (tempDir) {
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
  };
}
