import { Knex } from 'knex';

/**
 * Daily totals per region alone: the region report of a year reads 12 × 365 rows from here
 * instead of every partner's daily and monthly totals. Filled from the finer daily totals for
 * what is already rolled up; the roll-up keeps it in step from then on, in the same transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('redemption_region_daily', (table) => {
    table.date('business_date').notNullable();
    table.string('region_code', 2).notNullable();
    table.bigInteger('redemptions').notNullable();
    table.bigInteger('gross_cents').notNullable();
    table.bigInteger('discount_cents').notNullable();
    table.primary(['business_date', 'region_code']);
  });
  await knex.raw(
    `insert into redemption_region_daily
       (business_date, region_code, redemptions, gross_cents, discount_cents)
     select business_date, region_code, sum(redemptions), sum(gross_cents), sum(discount_cents)
       from redemption_daily
      group by business_date, region_code`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('redemption_region_daily');
}
