import { Knex } from 'knex';

/**
 * Tells every app instance, through NOTIFY on `nadipass_session_change`, which session was
 * written or deleted (payload: the SHA-256 of its id in hex, never the id itself, or `*`), so
 * that sessions kept in memory (src/web/session-cache.ts) are dropped as soon as a sign-in,
 * sign-out or change commits anywhere.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_session_change() returns trigger language plpgsql as $$
    begin
      if tg_level = 'STATEMENT' then
        perform pg_notify('nadipass_session_change', '*');
      else
        if tg_op <> 'INSERT' then
          perform pg_notify('nadipass_session_change',
            encode(sha256(convert_to(old.sid, 'UTF8')), 'hex'));
        end if;
        if tg_op = 'INSERT' or new.sid <> old.sid then
          perform pg_notify('nadipass_session_change',
            encode(sha256(convert_to(new.sid, 'UTF8')), 'hex'));
        end if;
      end if;

      return null;
    end $$`);
  await knex.raw(`
    create trigger session_notify_change after insert or update or delete on session
      for each row execute function notify_session_change()`);
  await knex.raw(`
    create trigger session_notify_truncate after truncate on session
      for each statement execute function notify_session_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists session_notify_truncate on session');
  await knex.raw('drop trigger if exists session_notify_change on session');
  await knex.raw('drop function if exists notify_session_change()');
}
