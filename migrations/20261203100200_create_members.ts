import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('members', (table) => {
    table.bigIncrements('id');
    table.text('number').notNullable().unique();
    // Normalised national ID (upper case, Western digits); shown masked, never put in a token.
    table.text('cin').notNullable().unique();
    table.text('first_name').notNullable();
    table.text('last_name').notNullable();
    table.text('full_name_ar');
    table.date('birth_date');
    table.text('employer');
    table.string('work_province_code', 6).notNullable().references('provinces.code');
    table.string('residence_province_code', 6).references('provinces.code');
    table.text('phone');
    table.text('email');
    table
      .enu('status', ['active', 'suspended', 'lapsed', 'cancelled'])
      .notNullable()
      .defaultTo('active');
    table.text('password_hash');
    table.text('activation_code_hash');
    table.timestamp('activation_expires_at', { useTz: true });
    table.timestamps(true, true);
    table.index('work_province_code');
    table.index('phone');
  });

  await knex.schema.createTable('membership_periods', (table) => {
    table.bigIncrements('id');
    table.bigInteger('member_id').notNullable().references('members.id').onDelete('CASCADE');
    table.date('valid_from').notNullable();
    table.date('valid_to').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['member_id', 'valid_to']);
  });
  await knex.raw(
    'alter table membership_periods add constraint membership_periods_dates check (valid_from <= valid_to)',
  );

  await knex.schema.createTable('dependants', (table) => {
    table.bigIncrements('id');
    table.bigInteger('member_id').notNullable().references('members.id').onDelete('CASCADE');
    table.enu('relation', ['spouse', 'child', 'parent']).notNullable();
    table.text('first_name').notNullable();
    table.text('last_name').notNullable();
    table.text('full_name_ar');
    table.date('birth_date');
    table.timestamps(true, true);
    table.index('member_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dependants');
  await knex.schema.dropTable('membership_periods');
  await knex.schema.dropTable('members');
}
