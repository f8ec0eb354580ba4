import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('partners', (table) => {
    table.bigIncrements('id');
    table.text('code').notNullable().unique();
    table.text('legal_name').notNullable();
    table.text('display_name').notNullable();
    table.text('display_name_ar');
    table.text('category').notNullable();
    table.string('province_code', 6).notNullable().references('provinces.code');
    table.text('address');
    table.text('phone');
    table.enu('status', ['active', 'suspended']).notNullable().defaultTo('active');
    table.timestamps(true, true);
    table.index('province_code');
  });

  // The signed convention with the club: a partner without a current one cannot redeem.
  await knex.schema.createTable('agreements', (table) => {
    table.bigIncrements('id');
    table.bigInteger('partner_id').notNullable().references('partners.id').onDelete('CASCADE');
    table.text('reference').notNullable().unique();
    table.date('starts_on').notNullable();
    table.date('ends_on').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['partner_id', 'ends_on']);
  });

  await knex.schema.createTable('partner_users', (table) => {
    table.bigIncrements('id');
    table.bigInteger('partner_id').notNullable().references('partners.id').onDelete('CASCADE');
    table.text('email').notNullable().unique();
    table.text('name');
    table.enu('role', ['staff', 'manager']).notNullable().defaultTo('staff');
    table.text('password_hash').notNullable();
    table.timestamp('disabled_at', { useTz: true });
    table.timestamps(true, true);
  });

  await knex.schema.createTable('partner_api_keys', (table) => {
    table.bigIncrements('id');
    table.bigInteger('partner_id').notNullable().references('partners.id').onDelete('CASCADE');
    // The key is shown once; only its SHA-256 is kept (it is long and random, so no KDF is needed).
    table.text('key_hash').notNullable().unique();
    table.text('prefix').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('club_users', (table) => {
    table.bigIncrements('id');
    table.text('email').notNullable().unique();
    table.text('name');
    table.enu('role', ['admin', 'coordinator']).notNullable();
    table.text('password_hash').notNullable();
    table.timestamp('disabled_at', { useTz: true });
    table.timestamps(true, true);
  });

  await knex.schema.createTable('coordinator_regions', (table) => {
    table.bigInteger('club_user_id').notNullable().references('club_users.id').onDelete('CASCADE');
    table.string('region_code', 2).notNullable().references('regions.code');
    table.primary(['club_user_id', 'region_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('coordinator_regions');
  await knex.schema.dropTable('club_users');
  await knex.schema.dropTable('partner_api_keys');
  await knex.schema.dropTable('partner_users');
  await knex.schema.dropTable('agreements');
  await knex.schema.dropTable('partners');
}
