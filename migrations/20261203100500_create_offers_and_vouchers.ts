import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('offers', (table) => {
    table.bigIncrements('id');
    table.bigInteger('partner_id').notNullable().references('partners.id').onDelete('CASCADE');
    table.text('title_fr').notNullable();
    table.text('title_ar').notNullable();
    table.text('description_fr');
    table.text('description_ar');
    table.text('category').notNullable();
    // percent: value is whole percent; amount: value is centimes of MAD; free: a free service.
    table.enu('benefit_kind', ['percent', 'amount', 'free']).notNullable();
    table.integer('benefit_value').notNullable().defaultTo(0);
    table.enu('scope', ['province', 'region', 'national']).notNullable();
    table.date('valid_from').notNullable();
    table.date('valid_to');
    table.boolean('voucher_required').notNullable().defaultTo(false);
    table.boolean('dependants_eligible').notNullable().defaultTo(true);
    table.integer('limit_count');
    table.enu('limit_period', ['day', 'week', 'month', 'year', 'lifetime']);
    table.integer('voucher_uses').notNullable().defaultTo(1);
    table.integer('voucher_valid_days').notNullable().defaultTo(30);
    table.integer('quota');
    table.integer('redeemed_count').notNullable().defaultTo(0);
    table.enu('status', ['active', 'withdrawn']).notNullable().defaultTo('active');
    table.timestamps(true, true);
    table.index('partner_id');
  });
  await knex.raw(`
    alter table offers
      add constraint offers_benefit check (
        (benefit_kind = 'percent' and benefit_value between 1 and 100)
        or (benefit_kind = 'amount' and benefit_value > 0)
        or (benefit_kind = 'free')),
      add constraint offers_limit check ((limit_count is null) = (limit_period is null)
        and (limit_count is null or limit_count > 0)),
      add constraint offers_quota check (quota is null or redeemed_count <= quota),
      add constraint offers_redeemed_count check (redeemed_count >= 0)`);

  await knex.schema.createTable('vouchers', (table) => {
    // The token id (`jti`) of the voucher's signed QR.
    table.text('id').primary();
    // Short typed fallback, from an alphabet without look-alike characters.
    table.text('code').notNullable().unique();
    table.bigInteger('offer_id').notNullable().references('offers.id');
    table.bigInteger('member_id').notNullable().references('members.id').onDelete('CASCADE');
    table.bigInteger('dependant_id').references('dependants.id').onDelete('CASCADE');
    table.text('holder_key').notNullable();
    table.text('kid').notNullable().references('signing_keys.kid');
    table.integer('max_uses').notNullable().defaultTo(1);
    table.integer('uses').notNullable().defaultTo(0);
    table.date('expires_on').notNullable();
    table.timestamp('issued_at', { useTz: true }).notNullable();
    table.timestamp('cancelled_at', { useTz: true });
    table.text('cancel_reason');
    table.timestamp('expired_at', { useTz: true });
    table.index(['member_id']);
    table.index(['offer_id', 'holder_key']);
  });
  // The last line of defence against over-redemption, whatever the application does.
  await knex.raw(
    'alter table vouchers add constraint vouchers_uses check (uses >= 0 and uses <= max_uses)',
  );

  // Per holder, per offer, per limit period: how many uses are taken, and the limit it had.
  await knex.schema.createTable('holder_usage', (table) => {
    table.bigInteger('offer_id').notNullable().references('offers.id');
    table.text('holder_key').notNullable();
    table.text('period_key').notNullable();
    table.integer('used').notNullable();
    table.integer('limit_count').notNullable();
    table.primary(['offer_id', 'holder_key', 'period_key']);
  });
  await knex.raw(
    'alter table holder_usage add constraint holder_usage_limit check (used >= 0 and used <= limit_count)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('holder_usage');
  await knex.schema.dropTable('vouchers');
  await knex.schema.dropTable('offers');
}
