import crypto from 'node:crypto';

import { Db } from '../../src/db';

/** A tiny seeded generator, so a failing run can be replayed with the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;

    return state / 2 ** 32;
  };
}

export interface LedgerFixture {
  /** Redemption ids inserted (redeems only), in order. */
  redeemIds: number[];
}

/**
 * Appends `count` redemptions of the demo offers on random business dates of `year`, straight
 * into the ledger (the way the counter writes them, without going through the counter), and
 * voids about one in `voidEvery` of them.
 */
export async function insertRandomRedemptions(
  db: Db,
  options: { count: number; year: number; random: () => number; voidEvery?: number },
): Promise<LedgerFixture> {
  const { count, year, random } = options;
  const offers = await db('offers')
    .join('partners', 'partners.id', 'offers.partner_id')
    .join('provinces', 'provinces.code', 'partners.province_code')
    .select('offers.id', 'offers.partner_id', 'partners.province_code', 'provinces.region_code');
  const members = await db('members').select('id');
  const [card] = await db('cards').select('id').limit(1);
  if (!card) {
    throw new Error('issue a card before generating redemptions');
  }

  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const rows = Array.from({ length: count }, () => {
    const offer = pick(offers);
    const member = pick(members);
    const day = 1 + Math.floor(random() * 365);
    const date = new Date(Date.UTC(year, 0, day)).toISOString().slice(0, 10);
    const gross = 1_000 + Math.floor(random() * 200_000);

    return {
      reference: `T-${crypto.randomBytes(6).toString('hex')}`,
      kind: 'redeem',
      partner_id: offer.partner_id,
      offer_id: offer.id,
      card_id: card.id,
      member_id: member.id,
      holder_key: random() < 0.2 ? `D${member.id}` : `M${member.id}`,
      province_code: offer.province_code,
      region_code: offer.region_code,
      gross_cents: gross,
      discount_cents: Math.floor(gross * random() * 0.3),
      business_date: date,
      occurred_at: `${date}T10:00:00Z`,
      channel: 'portal',
    };
  });
  const inserted: { id: number }[] = await db('redemptions').insert(rows).returning('id');
  const redeemIds = inserted.map((row) => row.id);

  const voidEvery = options.voidEvery ?? 7;
  const voided = redeemIds.filter((_, index) => index % voidEvery === 3);
  await voidRedemptions(db, voided);

  return { redeemIds };
}

/** Appends a void for each redemption: same day, place and amounts, counted negatively. */
export async function voidRedemptions(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  await db.raw(
    `insert into redemptions (reference, kind, voids_redemption_id, void_reason, partner_id,
            offer_id, card_id, member_id, holder_key, province_code, region_code, gross_cents,
            discount_cents, business_date, occurred_at, channel)
     select 'V-' || reference, 'void', id, 'test', partner_id, offer_id, card_id, member_id,
            holder_key, province_code, region_code, gross_cents, discount_cents, business_date,
            occurred_at + interval '5 minutes', channel
       from redemptions where id = any(?)`,
    [ids],
  );
}
