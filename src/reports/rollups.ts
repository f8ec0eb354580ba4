import { Db } from '../db';

/** What one run of the roll-up added. */
export interface RollupRun {
  fromId: number;
  toId: number;
  /** Ledger rows folded into the totals by this run. */
  rows: number;
}

// A redemption's contribution: a void takes back its redemption's count and amounts.
const SIGNED_FIELDS = `
  sum(case r.kind when 'void' then -1 else 1 end) as redemptions,
  sum(case r.kind when 'void' then -r.gross_cents else r.gross_cents end) as gross_cents,
  sum(case r.kind when 'void' then -r.discount_cents else r.discount_cents end) as discount_cents`;

const ADD_ON_CONFLICT = `
  redemptions = excluded.redemptions + %T.redemptions,
  gross_cents = excluded.gross_cents + %T.gross_cents,
  discount_cents = excluded.discount_cents + %T.discount_cents`;

/**
 * The highest redemption id below which every row is committed. Ids are taken when a row is
 * inserted, but transactions commit in any order: a SHARE lock waits for every transaction that
 * is inserting to finish, and any insert after it gets a higher id. The lock lasts one query,
 * and gives up after a second rather than keep a counter waiting behind it: the next run
 * tries again, and reports stay exact meanwhile (they read the rows not rolled up).
 */
async function settledMaxId(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.raw("set local lock_timeout = '1s'");
    await tx.raw('lock table redemptions in share mode');
    const row = await tx('redemptions').max('id as id').first();

    return Number(row?.id ?? 0);
  });
}

/**
 * Folds the redemptions not yet rolled up into the daily and monthly totals (and the daily
 * totals per region, which the region report reads), in one
 * transaction with the watermark, so a report never counts a row twice or misses one. Safe to
 * run from several instances at once: the state row is locked and the second run finds nothing.
 */
export async function rollUpRedemptions(db: Db, now: Date = new Date()): Promise<RollupRun> {
  const upTo = await settledMaxId(db);

  return db.transaction(async (tx) => {
    const state = await tx('rollup_state').forUpdate().first('rolled_up_to_id');
    const fromId = Number(state.rolled_up_to_id);
    if (upTo <= fromId) {
      return { fromId, toId: fromId, rows: 0 };
    }

    await tx.raw(
      `insert into redemption_daily as d
         (business_date, region_code, province_code, partner_id, category,
          redemptions, gross_cents, discount_cents)
       select r.business_date, r.region_code, r.province_code, r.partner_id, o.category,
              ${SIGNED_FIELDS}
         from redemptions r join offers o on o.id = r.offer_id
        where r.id > ? and r.id <= ?
        group by 1, 2, 3, 4, 5
       on conflict (business_date, region_code, province_code, partner_id, category)
       do update set ${ADD_ON_CONFLICT.replaceAll('%T', 'd')}`,
      [fromId, upTo],
    );
    await tx.raw(
      `insert into redemption_monthly as m
         (month, region_code, province_code, partner_id, category,
          redemptions, gross_cents, discount_cents)
       select date_trunc('month', r.business_date)::date, r.region_code, r.province_code,
              r.partner_id, o.category, ${SIGNED_FIELDS}
         from redemptions r join offers o on o.id = r.offer_id
        where r.id > ? and r.id <= ?
        group by 1, 2, 3, 4, 5
       on conflict (month, region_code, province_code, partner_id, category)
       do update set ${ADD_ON_CONFLICT.replaceAll('%T', 'm')}`,
      [fromId, upTo],
    );
    await tx.raw(
      `insert into redemption_region_daily as g
         (business_date, region_code, redemptions, gross_cents, discount_cents)
       select r.business_date, r.region_code, ${SIGNED_FIELDS}
         from redemptions r
        where r.id > ? and r.id <= ?
        group by 1, 2
       on conflict (business_date, region_code)
       do update set ${ADD_ON_CONFLICT.replaceAll('%T', 'g')}`,
      [fromId, upTo],
    );
    const counted = await tx('redemptions')
      .where('id', '>', fromId)
      .andWhere('id', '<=', upTo)
      .count<{ count: string }[]>('id as count');
    await tx('rollup_state').update({ rolled_up_to_id: upTo, rolled_up_at: now });

    return { fromId, toId: upTo, rows: Number(counted[0].count) };
  });
}
