import { Knex } from 'knex';

/**
 * A roster file between its check and its import: the admin reads the dry run, maps columns if
 * needed, then confirms, without sending the file again. Removed once imported or after a day.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roster_uploads', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('filename').notNullable();
    table.binary('content').notNullable();
    table.bigInteger('club_user_id').notNullable().references('club_users.id').onDelete('CASCADE');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('roster_uploads');
}
