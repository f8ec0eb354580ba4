import { Knex } from 'knex';

// The voucher's signed token as issued, so that the member downloads the very QR the club
// signed, however often, and whatever key is active by then.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('vouchers', (table) => {
    table.text('token');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('vouchers', (table) => {
    table.dropColumn('token');
  });
}
