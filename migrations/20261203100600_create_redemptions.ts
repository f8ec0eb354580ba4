import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Append-only: a redemption is never edited; a void is a second row pointing at the first.
  await knex.schema.createTable('redemptions', (table) => {
    table.bigIncrements('id');
    table.text('reference').notNullable().unique();
    table.enu('kind', ['redeem', 'void']).notNullable();
    table.bigInteger('voids_redemption_id').unique().references('redemptions.id');
    table.text('void_reason');
    table.bigInteger('partner_id').notNullable().references('partners.id');
    table.bigInteger('partner_user_id').references('partner_users.id');
    table.bigInteger('api_key_id').references('partner_api_keys.id');
    table.bigInteger('offer_id').notNullable().references('offers.id');
    table.text('card_id').references('cards.id');
    table.text('voucher_id').references('vouchers.id');
    table.bigInteger('member_id').notNullable().references('members.id');
    table.bigInteger('dependant_id').references('dependants.id');
    table.text('holder_key').notNullable();
    table.string('province_code', 6).notNullable();
    table.string('region_code', 2).notNullable();
    table.bigInteger('gross_cents').notNullable();
    table.bigInteger('discount_cents').notNullable();
    table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('device_time', { useTz: true });
    // The club's business day (Morocco's legal time) and the limit period the use counted in.
    table.date('business_date').notNullable();
    table.text('period_key');
    table.text('idempotency_key');
    table.text('request_hash');
    table.enu('channel', ['api', 'portal']).notNullable();
    table.boolean('online').notNullable().defaultTo(true);
    table.index(['partner_id', 'occurred_at']);
    table.index(['business_date', 'region_code']);
    table.index('voucher_id');
    table.index(['member_id', 'occurred_at']);
  });
  await knex.raw(`
    create unique index redemptions_idempotency on redemptions (partner_id, idempotency_key)
      where kind = 'redeem'`);
  await knex.raw(`
    alter table redemptions
      add constraint redemptions_amounts check (
        gross_cents >= 0 and discount_cents >= 0 and discount_cents <= gross_cents),
      add constraint redemptions_void_link check ((kind = 'void') = (voids_redemption_id is not null)),
      add constraint redemptions_credential check (card_id is not null or voucher_id is not null)`);
  await knex.raw(`
    create function redemptions_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'redemptions are append-only: void a redemption with a new row';
    end $$`);
  await knex.raw(`
    create trigger redemptions_append_only before update or delete on redemptions
      for each row execute function redemptions_append_only()`);

  // Every refused verification or redemption, with its reason: for fraud signals and support.
  await knex.schema.createTable('refused_attempts', (table) => {
    table.bigIncrements('id');
    table.enu('action', ['verify', 'redeem']).notNullable();
    table.text('reason').notNullable();
    table.bigInteger('partner_id').references('partners.id');
    table.bigInteger('partner_user_id').references('partner_users.id');
    table.bigInteger('api_key_id').references('partner_api_keys.id');
    table.text('token_id');
    table.text('holder_key');
    table.bigInteger('member_id');
    table.bigInteger('offer_id');
    table.enu('channel', ['api', 'portal', 'public']).notNullable();
    table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['partner_id', 'occurred_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refused_attempts');
  await knex.raw('drop trigger if exists redemptions_append_only on redemptions');
  await knex.schema.dropTable('redemptions');
  await knex.raw('drop function if exists redemptions_append_only()');
}
