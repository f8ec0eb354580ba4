import { createDb } from '../../src/db';
import { createTestDatabase } from '../support/runtime';

describe('migrations', () => {
  it('migrate up, all the way down, and up again on an empty database', async () => {
    const database = await createTestDatabase();
    const db = createDb(database.url, { max: 2 });
    try {
      // The copy starts fully migrated: take it down to nothing first.
      await db.migrate.rollback(undefined, true);
      const tables = await db('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
      expect(tables.sort()).toEqual(['knex_migrations', 'knex_migrations_lock']);

      const [, applied] = await db.migrate.latest();
      expect(applied.length).toBeGreaterThanOrEqual(8);
      expect(await db('regions').count('* as n').first()).toEqual({ n: 12 });
      expect(await db('provinces').count('* as n').first()).toEqual({ n: 75 });
      expect(await db('provinces').where({ code: '10.261' }).first()).toMatchObject({
        region_code: '10',
        name_fr: 'Guelmim',
        name_ar: 'كلميم',
      });

      await db.migrate.rollback(undefined, true);
      await db.migrate.latest();
      expect(await db('regions').where({ code: '12' }).first('population_2024')).toEqual({
        population_2024: 219_965,
      });
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('keeps redemptions append-only: an update or a delete is refused by the database', async () => {
    const database = await createTestDatabase();
    const db = createDb(database.url, { max: 2 });
    try {
      const member = await db('members').first('id');
      const offer = await db('offers').first('id', 'partner_id');
      const card = { id: 'appendonly-card-1', member_id: member.id, holder_key: `M${member.id}` };
      const kid = (await db('signing_keys').first('kid')).kid;
      await db('cards').insert({ ...card, kid, issued_at: new Date(), expires_at: new Date(Date.now() + 1e9) });
      const [row] = await db('redemptions')
        .insert({
          reference: 'RTEST0001', kind: 'redeem', partner_id: offer.partner_id, offer_id: offer.id,
          card_id: card.id, member_id: member.id, holder_key: card.holder_key, province_code: '10.261',
          region_code: '10', gross_cents: 1000, discount_cents: 100, business_date: '2026-12-03',
          channel: 'api',
        })
        .returning('id');
      await expect(db('redemptions').where({ id: row.id }).update({ gross_cents: 1 })).rejects.toThrow(
        /append-only/,
      );
      await expect(db('redemptions').where({ id: row.id }).del()).rejects.toThrow(/append-only/);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
