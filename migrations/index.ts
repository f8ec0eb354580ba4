import { Knex } from 'knex';

import * as createReferenceTables from './20261203100000_create_reference_tables';
import * as loadRegionsAndProvinces from './20261203100100_load_regions_and_provinces';
import * as createMembers from './20261203100200_create_members';
import * as createPartners from './20261203100300_create_partners';
import * as createCredentials from './20261203100400_create_credentials';
import * as createOffersAndVouchers from './20261203100500_create_offers_and_vouchers';
import * as createRedemptions from './20261203100600_create_redemptions';
import * as createSessionsAndJobs from './20261203100700_create_sessions_and_jobs';
import * as createRateLimits from './20261203100800_create_rate_limits';
import * as addTokenToCards from './20261203110000_add_token_to_cards';
import * as addTokenToVouchers from './20261203120000_add_token_to_vouchers';
import * as addLanguageToPartnerUsers from './20261203130000_add_language_to_partner_users';
import * as createRedemptionRollups from './20261203140000_create_redemption_rollups';
import * as createRosterUploads from './20261203140100_create_roster_uploads';
import * as notifyPartnerChanges from './20261203150000_notify_partner_changes';
import * as createRegionDailyTotals from './20261204100000_create_region_daily_totals';
import * as createRefuseRedemption from './20261204100100_create_refuse_redemption';
import * as notifyHolderChanges from './20261204120000_notify_holder_changes';
import * as notifySessionChanges from './20261204120100_notify_session_changes';

type Migration = Knex.Migration;

/**
 * Every migration, in order, by file name. Listed by hand rather than read from the folder so
 * that the app, the CLI and the tests run the same TypeScript modules, whatever loads them.
 */
const migrations: [string, Migration][] = [
  ['20261203100000_create_reference_tables', createReferenceTables],
  ['20261203100100_load_regions_and_provinces', loadRegionsAndProvinces],
  ['20261203100200_create_members', createMembers],
  ['20261203100300_create_partners', createPartners],
  ['20261203100400_create_credentials', createCredentials],
  ['20261203100500_create_offers_and_vouchers', createOffersAndVouchers],
  ['20261203100600_create_redemptions', createRedemptions],
  ['20261203100700_create_sessions_and_jobs', createSessionsAndJobs],
  ['20261203100800_create_rate_limits', createRateLimits],
  ['20261203110000_add_token_to_cards', addTokenToCards],
  ['20261203120000_add_token_to_vouchers', addTokenToVouchers],
  ['20261203130000_add_language_to_partner_users', addLanguageToPartnerUsers],
  ['20261203140000_create_redemption_rollups', createRedemptionRollups],
  ['20261203140100_create_roster_uploads', createRosterUploads],
  ['20261203150000_notify_partner_changes', notifyPartnerChanges],
  ['20261204100000_create_region_daily_totals', createRegionDailyTotals],
  ['20261204100100_create_refuse_redemption', createRefuseRedemption],
  ['20261204120000_notify_holder_changes', notifyHolderChanges],
  ['20261204120100_notify_session_changes', notifySessionChanges],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
