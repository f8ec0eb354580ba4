import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The layout connect-pg-simple expects; sessions live in PostgreSQL so any instance serves them.
  await knex.schema.createTable('session', (table) => {
    table.string('sid').primary();
    table.json('sess').notNullable();
    table.timestamp('expire', { precision: 6 }).notNullable();
    table.index('expire');
  });

  // One row per job and time slot: whichever instance inserts it runs the job for that slot.
  await knex.schema.createTable('job_runs', (table) => {
    table.text('job').notNullable();
    table.text('slot').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('finished_at', { useTz: true });
    table.text('outcome');
    table.primary(['job', 'slot']);
  });

  // Every change an administrator makes: who, what, before and after, when.
  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id');
    table.text('actor').notNullable();
    table.text('action').notNullable();
    table.text('entity').notNullable();
    table.text('entity_id');
    table.jsonb('before');
    table.jsonb('after');
    table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index('occurred_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('job_runs');
  await knex.schema.dropTable('session');
}
