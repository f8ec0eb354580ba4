import type { i18n } from 'i18next';

import { Config, loadConfig } from './config';
import { Context } from './context';
import { KeyStore } from './credentials/keys';
import { connect, Connection } from './db/connection';
import { createI18n } from './i18n';
import { logger } from './logger';
import { PartnerCache, usePartnerCache } from './partners/cache';
import { HolderCache, useHolderCache } from './redemptions/holder-cache';
import { seedIfEmpty } from '../seeds/demo';
import { assertZoneData } from './time';

export interface Runtime {
  ctx: Context;
  i18n: i18n;
  connection: Connection;
  /** Whether demo data was loaded on this start. */
  seeded: boolean;
  /** Stops the caches listening for change notices; close() does it too. */
  stopListening(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything the server and the CLI share at start: configuration, zone data check, database
 * (migrated), demo data where wanted, keys, translations and the partner and holder caches.
 */
export async function boot(options: { config?: Config; seed?: boolean } = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  assertZoneData();
  const connection = await connect(config);
  try {
    const seeded = options.seed !== false && config.demoData ? await seedIfEmpty(connection.db) : false;
    const keys = new KeyStore(connection.db);
    await keys.init();
    const i18n = await createI18n();
    // Partner reads made on every scan come from memory, dropped as soon as a partner changes.
    const partnerCache = new PartnerCache(connection.url);
    await partnerCache.start();
    usePartnerCache(connection.db, partnerCache);
    // So do the cards, vouchers, holders and usage last scanned, dropped as soon as they change.
    const holderCache = new HolderCache(connection.url);
    await holderCache.start();
    useHolderCache(connection.db, holderCache);
    const stopListening = async () => {
      await Promise.all([partnerCache.stop(), holderCache.stop()]);
    };

    return {
      ctx: { db: connection.db, keys, config },
      i18n,
      connection,
      seeded,
      stopListening,
      async close() {
        keys.stopRefreshing();
        await stopListening();
        await connection.close();
      },
    };
  } catch (error) {
    logger.error({ err: error }, 'start-up failed');
    await connection.close();
    throw error;
  }
}
