import { Knex } from 'knex';

// The card's signed token as issued, so that a card can be downloaded or printed again with the
// very QR the holder already carries. It is no secret beyond what the printed card shows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cards', (table) => {
    table.text('token');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cards', (table) => {
    table.dropColumn('token');
  });
}
