import crypto from 'node:crypto';

import type { Express } from 'express';
import type { i18n } from 'i18next';
import pg from 'pg';

import { buildApp } from '../../src/app';
import { Config, loadConfig } from '../../src/config';
import { Context } from '../../src/context';
import { KeyStore } from '../../src/credentials/keys';
import { createDb } from '../../src/db';
import { createI18n } from '../../src/i18n';
import { databaseUrl, SERVER_ENV, TEMPLATE_ENV } from './database';

export interface TestRuntime {
  ctx: Context;
  app: Express;
  i18n: i18n;
  url: string;
  close(): Promise<void>;
}

/** A fresh database for one test file: a copy of the migrated, demo-loaded template. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env[SERVER_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (!serverUrl || !template) {
    throw new Error('The test database was not prepared: run the tests with jest (see jest.config.js)');
  }

  // Named after this run's template, so that the run's clean-up drops its own databases only,
  // never those of another run on a shared server.
  const run = template.replace('nadipass_template_', '');
  const name = `nadipass_t_${run}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = createDb(serverUrl, { max: 1 });
  await admin.raw(`create database ${name} template ${template}`);
  await admin.destroy();

  return {
    url: databaseUrl(serverUrl, name),
    async drop() {
      const cleanup = createDb(serverUrl, { max: 1 });
      await cleanup.raw(`drop database if exists ${name} with (force)`);
      await cleanup.destroy();
    },
  };
}

/** The app on a fresh copy of the demo database, as `npm start` would build it. */
export async function createTestRuntime(overrides: Partial<Config> = {}): Promise<TestRuntime> {
  const database = await createTestDatabase();
  const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: database.url, ...overrides };
  const db = createDb(database.url, { max: 20 });
  const keys = new KeyStore(db);
  await keys.init();
  const i18n = await createI18n();
  const ctx: Context = { db, keys, config };
  const sessionPool = new pg.Pool({ connectionString: database.url, max: 4 });
  const app = buildApp(ctx, i18n, { sessionPool, pruneSessions: false });

  return {
    ctx,
    app,
    i18n,
    url: database.url,
    async close() {
      keys.stopRefreshing();
      await sessionPool.end();
      await db.destroy();
      await database.drop();
    },
  };
}
