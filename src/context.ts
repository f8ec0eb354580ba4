import { Config } from './config';
import { KeyStore } from './credentials/keys';
import { Db } from './db';

/** What services need from the running application: the database, the keys, the settings. */
export interface Context {
  db: Db;
  keys: KeyStore;
  config: Config;
}
