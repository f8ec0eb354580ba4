import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Hit counters for rate limits, shared by every instance (never in process memory).
  await knex.schema.createTable('rate_limits', (table) => {
    table.text('key').primary();
    table.integer('hits').notNullable();
    table.timestamp('reset_at', { useTz: true }).notNullable();
    table.index('reset_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
