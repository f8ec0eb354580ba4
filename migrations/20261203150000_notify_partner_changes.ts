import { Knex } from 'knex';

// Each table and the column naming its partner; a province change concerns every partner.
const PARTNER_TABLES: [string, string][] = [
  ['partners', 'id'],
  ['partner_api_keys', 'partner_id'],
  ['agreements', 'partner_id'],
  ['offers', 'partner_id'],
];

/**
 * Tells every app instance, through NOTIFY on `nadipass_partner_change`, which partner changed
 * (the payload is its id, or `*` for all), so the partner cache in memory (src/partners/cache.ts)
 * drops it as soon as the change commits. NOTIFY is sent at commit, never for a rollback.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_partner_change() returns trigger language plpgsql as $$
    begin
      if tg_level = 'STATEMENT' or tg_argv[0] = '*' then
        perform pg_notify('nadipass_partner_change', '*');
      else
        if tg_op <> 'INSERT' then
          perform pg_notify('nadipass_partner_change', to_jsonb(old) ->> tg_argv[0]);
        end if;
        if tg_op <> 'DELETE' then
          perform pg_notify('nadipass_partner_change', to_jsonb(new) ->> tg_argv[0]);
        end if;
      end if;

      return null;
    end $$`);

  for (const [table, column] of [...PARTNER_TABLES, ['provinces', '*']]) {
    await knex.raw(`
      create trigger ${table}_notify_change after insert or update or delete on ${table}
        for each row execute function notify_partner_change('${column}')`);
    await knex.raw(`
      create trigger ${table}_notify_truncate after truncate on ${table}
        for each statement execute function notify_partner_change('*')`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of [...PARTNER_TABLES, ['provinces']]) {
    await knex.raw(`drop trigger if exists ${table}_notify_truncate on ${table}`);
    await knex.raw(`drop trigger if exists ${table}_notify_change on ${table}`);
  }
  await knex.raw('drop function if exists notify_partner_change()');
}
