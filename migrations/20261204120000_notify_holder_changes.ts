import { Knex } from 'knex';

// Each table, the letter of the notice and the column it carries: `m` and a member's id for
// everything a verdict reads about a member and their dependants, `h` and a holder key for the
// per-holder usage counters.
const HOLDER_TABLES: [string, string, string][] = [
  ['members', 'm', 'id'],
  ['dependants', 'm', 'member_id'],
  ['membership_periods', 'm', 'member_id'],
  ['cards', 'm', 'member_id'],
  ['vouchers', 'm', 'member_id'],
  ['holder_usage', 'h', 'holder_key'],
];

/**
 * Tells every app instance, through NOTIFY on `nadipass_holder_change`, whose cards, vouchers,
 * standing or usage changed (payload `m<member id>`, `h<holder key>`, or `*` for everything), so
 * that the holder cache in memory (src/redemptions/holder-cache.ts) drops it as soon as the
 * change commits: a card revoked a moment ago is refused at the next scan.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_holder_change() returns trigger language plpgsql as $$
    begin
      if tg_level = 'STATEMENT' then
        perform pg_notify('nadipass_holder_change', '*');
      else
        if tg_op <> 'INSERT' then
          perform pg_notify('nadipass_holder_change', tg_argv[0] || (to_jsonb(old) ->> tg_argv[1]));
        end if;
        if tg_op <> 'DELETE' then
          perform pg_notify('nadipass_holder_change', tg_argv[0] || (to_jsonb(new) ->> tg_argv[1]));
        end if;
      end if;

      return null;
    end $$`);

  for (const [table, letter, column] of HOLDER_TABLES) {
    await knex.raw(`
      create trigger ${table}_notify_holder after insert or update or delete on ${table}
        for each row execute function notify_holder_change('${letter}', '${column}')`);
    await knex.raw(`
      create trigger ${table}_notify_holder_truncate after truncate on ${table}
        for each statement execute function notify_holder_change()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of HOLDER_TABLES) {
    await knex.raw(`drop trigger if exists ${table}_notify_holder_truncate on ${table}`);
    await knex.raw(`drop trigger if exists ${table}_notify_holder on ${table}`);
  }
  await knex.raw('drop function if exists notify_holder_change()');
}
