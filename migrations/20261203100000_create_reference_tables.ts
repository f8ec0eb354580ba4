import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('regions', (table) => {
    table.string('code', 2).primary();
    table.text('name_fr').notNullable();
    table.text('name_ar').notNullable();
    table.text('capital_fr').notNullable();
    table.text('capital_ar').notNullable();
    table.integer('population_2024').notNullable();
  });

  await knex.schema.createTable('provinces', (table) => {
    table.string('code', 6).primary();
    table.string('region_code', 2).notNullable().references('regions.code');
    table.text('name_fr').notNullable();
    table.text('name_ar').notNullable();
    table.text('kind').notNullable();
    table.index('region_code');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('provinces');
  await knex.schema.dropTable('regions');
}
