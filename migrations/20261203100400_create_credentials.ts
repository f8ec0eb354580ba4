import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The club's ES256 keys. One is active for signing; retired ones keep verifying what they
  // signed until `verify_until`, then leave the published key set.
  await knex.schema.createTable('signing_keys', (table) => {
    table.text('kid').primary();
    table.text('alg').notNullable();
    table.jsonb('public_jwk').notNullable();
    table.jsonb('private_jwk').notNullable();
    table.enu('status', ['active', 'retired']).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('retired_at', { useTz: true });
    table.timestamp('verify_until', { useTz: true });
  });
  await knex.raw(
    "create unique index signing_keys_one_active on signing_keys (status) where status = 'active'",
  );

  await knex.schema.createTable('cards', (table) => {
    // The token id (`jti`) of the card's signed QR.
    table.text('id').primary();
    table.bigInteger('member_id').notNullable().references('members.id').onDelete('CASCADE');
    table.bigInteger('dependant_id').references('dependants.id').onDelete('CASCADE');
    // 'M<member id>' or 'D<dependant id>': the card holder, as named in the token.
    table.text('holder_key').notNullable();
    table.text('kid').notNullable().references('signing_keys.kid');
    table.timestamp('issued_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true });
    table.text('revoked_reason');
    table.index('member_id');
  });
  await knex.raw(
    'create unique index cards_one_valid_per_holder on cards (holder_key) where revoked_at is null',
  );

  // Every revocation of a card or voucher, in order: offline verifiers fetch it incrementally.
  await knex.schema.createTable('revocations', (table) => {
    table.bigIncrements('seq');
    table.text('token_id').notNullable();
    table.enu('kind', ['card', 'voucher']).notNullable();
    table.text('reason').notNullable();
    table.timestamp('revoked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('token_expires_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('revocations');
  await knex.schema.dropTable('cards');
  await knex.schema.dropTable('signing_keys');
}
