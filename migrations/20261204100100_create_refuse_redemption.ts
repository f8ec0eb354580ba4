import { Knex } from 'knex';

/**
 * `refuse_redemption(reason)` raises an error that carries a refusal reason in its detail
 * (SQLSTATE NP001).
 * A redemption is written in one statement that claims the ledger row and takes each counter's
 * use; when a counter has no use left, the statement calls it, and the whole statement, ledger
 * row included, is undone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function refuse_redemption(reason text) returns boolean
    language plpgsql as $$
    begin
      raise exception using errcode = 'NP001', message = 'redemption refused: ' || reason,
        detail = reason;
    end
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function refuse_redemption(text)');
}
