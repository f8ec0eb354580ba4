import { Knex } from 'knex';

// The portal's language, chosen by each partner user and applied at every login, on any device.
// Null until the user picks one: the browser's language decides meanwhile.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('partner_users', (table) => {
    table.text('language');
  });
  await knex.raw(`
    alter table partner_users
      add constraint partner_users_language check (language in ('fr', 'ar'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('partner_users', (table) => {
    table.dropChecks(['partner_users_language']);
    table.dropColumn('language');
  });
}
