import { Knex } from 'knex';

/**
 * Daily and monthly totals of redemptions per place, partner and offer category, so that a
 * year-long report reads thousands of rows instead of millions. Voids count negatively in the
 * day of the redemption they cancel. `rollup_state` says which redemptions (by id) the totals
 * already hold: reports add the newer rows from the ledger itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('redemption_daily', (table) => {
    table.date('business_date').notNullable();
    table.string('region_code', 2).notNullable();
    table.string('province_code', 6).notNullable();
    table.bigInteger('partner_id').notNullable();
    table.text('category').notNullable();
    table.bigInteger('redemptions').notNullable();
    table.bigInteger('gross_cents').notNullable();
    table.bigInteger('discount_cents').notNullable();
    table.primary(['business_date', 'region_code', 'province_code', 'partner_id', 'category']);
  });

  await knex.schema.createTable('redemption_monthly', (table) => {
    // The first day of the month.
    table.date('month').notNullable();
    table.string('region_code', 2).notNullable();
    table.string('province_code', 6).notNullable();
    table.bigInteger('partner_id').notNullable();
    table.text('category').notNullable();
    table.bigInteger('redemptions').notNullable();
    table.bigInteger('gross_cents').notNullable();
    table.bigInteger('discount_cents').notNullable();
    table.primary(['month', 'region_code', 'province_code', 'partner_id', 'category']);
  });

  await knex.schema.createTable('rollup_state', (table) => {
    // A single row: the check keeps it single.
    table.boolean('id').primary().defaultTo(true);
    table.bigInteger('rolled_up_to_id').notNullable().defaultTo(0);
    table.timestamp('rolled_up_at', { useTz: true });
  });
  await knex.raw('alter table rollup_state add constraint rollup_state_single check (id)');
  await knex('rollup_state').insert({ id: true, rolled_up_to_id: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rollup_state');
  await knex.schema.dropTable('redemption_monthly');
  await knex.schema.dropTable('redemption_daily');
}
