import { Queryable } from '../db';
import { partnerCacheFor } from '../partners/cache';
import { LimitPeriod, periodKey } from '../time';
import { BenefitKind } from './benefit';

export interface OfferRow {
  id: number;
  partner_id: number;
  title_fr: string;
  title_ar: string;
  description_fr: string | null;
  description_ar: string | null;
  category: string;
  benefit_kind: BenefitKind;
  benefit_value: number;
  scope: 'province' | 'region' | 'national';
  valid_from: string;
  valid_to: string | null;
  voucher_required: boolean;
  dependants_eligible: boolean;
  limit_count: number | null;
  limit_period: LimitPeriod | null;
  voucher_uses: number;
  voucher_valid_days: number;
  quota: number | null;
  redeemed_count: number;
  status: 'active' | 'withdrawn';
}

/** Where a holder lives and works, for offer scopes. */
export interface HolderPlaces {
  provinces: string[];
  regions: string[];
}

/** Whether the partner's offer reaches a holder: same province, same region, or national. */
export function offerReaches(
  offer: Pick<OfferRow, 'scope'>,
  partner: { province_code: string; region_code: string },
  places: HolderPlaces,
): boolean {
  switch (offer.scope) {
    case 'national':
      return true;
    case 'region':
      return places.regions.includes(partner.region_code);
    case 'province':
      return places.provinces.includes(partner.province_code);
  }
}

/** Whether an offer is open on a business date (YYYY-MM-DD). */
export function offerOpenOn(offer: OfferRow, date: string): boolean {
  return (
    offer.status === 'active' &&
    offer.valid_from <= date &&
    (offer.valid_to === null || offer.valid_to >= date)
  );
}

// NOTE: offers are read on every scan; their loaders are passed inline, so that a read served
// from memory creates no named function (the TypeScript loader names each one).
export function findOffer(db: Queryable, id: number): Promise<OfferRow | undefined> {
  const cache = partnerCacheFor(db);

  return cache
    ? cache.offer(id, () => db<OfferRow>('offers').where({ id }).first())
    : db<OfferRow>('offers').where({ id }).first();
}

export async function partnerOffers(db: Queryable, partnerId: number): Promise<OfferRow[]> {
  const cache = partnerCacheFor(db);
  if (!cache) {
    return db<OfferRow>('offers').where({ partner_id: partnerId }).orderBy('id');
  }

  // A copy: the caller may sort or filter the list it gets.
  return [
    ...(await cache.offersOf(partnerId, () =>
      db<OfferRow>('offers').where({ partner_id: partnerId }).orderBy('id'),
    )),
  ];
}

/** The provinces and regions of a member's work and residence. */
export async function holderPlaces(
  db: Queryable,
  member: { work_province_code: string; residence_province_code: string | null },
): Promise<HolderPlaces> {
  const provinces = [member.work_province_code, member.residence_province_code].filter(
    (code): code is string => code !== null,
  );
  const cache = partnerCacheFor(db);
  if (cache) {
    const regionOf = await cache.regionsOfProvinces(async () => {
      const rows = await db('provinces').select('code', 'region_code');

      return new Map(rows.map((row) => [row.code as string, row.region_code as string]));
    });
    const regions = new Set(provinces.map((code) => regionOf.get(code)).filter((code) => code));

    return { provinces, regions: [...regions] as string[] };
  }

  const rows = await db('provinces').whereIn('code', provinces).distinct('region_code');

  return { provinces, regions: rows.map((row) => row.region_code) };
}

/**
 * Uses a holder has left on an offer in the period containing `now`, or null when the offer
 * has no per-holder limit.
 */
export async function remainingUses(
  db: Queryable,
  offer: OfferRow,
  holderKey: string,
  now: Date,
): Promise<number | null> {
  return (await remainingUsesOf(db, [offer], holderKey, now))[0];
}

/** The usage counters a verdict reads: offers with a per-holder limit, and their periods now. */
export interface UsageCounters {
  offerIds: number[];
  periodKeys: string[];
}

/** Uses taken per counter, keyed `offerId|periodKey`; a counter never taken is absent. */
export type UsageTaken = Map<string, number>;

export const NO_COUNTERS: UsageCounters = { offerIds: [], periodKeys: [] };

function periodsOf(offers: OfferRow[], now: Date): (string | null)[] {
  return offers.map((offer) =>
    offer.limit_count === null || offer.limit_period === null
      ? null
      : periodKey(offer.limit_period, now),
  );
}

/** The counters that tell the uses each of `offers` has left in the periods containing `now`. */
export function usageCountersOf(offers: OfferRow[], now: Date): UsageCounters {
  const periods = periodsOf(offers, now);

  return {
    offerIds: offers.filter((_offer, index) => periods[index] !== null).map((offer) => offer.id),
    periodKeys: [...new Set(periods.filter((key) => key !== null))],
  };
}

/** Reads a holder's counters: one statement, none when no offer has a limit. */
export async function readUsage(
  db: Queryable,
  holderKey: string,
  counters: UsageCounters,
): Promise<UsageTaken> {
  const used: UsageTaken = new Map();
  if (counters.offerIds.length > 0) {
    const { rows } = await db
      .raw(
        `select offer_id, period_key, used from holder_usage
          where holder_key = ? and offer_id = any(?::bigint[]) and period_key = any(?::text[])`,
        [holderKey, counters.offerIds, counters.periodKeys],
      )
      .options({ name: 'nadipass_holder_usage_of_offers' });
    for (const row of rows) {
      used.set(`${row.offer_id}|${row.period_key}`, Number(row.used));
    }
  }

  return used;
}

/**
 * Uses left on each of `offers` (in their order) in the periods containing `now`, from counters
 * already read (see usageCountersOf): null for an offer without a per-holder limit.
 */
export function remainingFrom(offers: OfferRow[], now: Date, used: UsageTaken): (number | null)[] {
  const periods = periodsOf(offers, now);

  return offers.map((offer, index) => {
    const period = periods[index];

    return period === null
      ? null
      : Math.max(0, offer.limit_count! - (used.get(`${offer.id}|${period}`) ?? 0));
  });
}

/**
 * Uses a holder has left on each of several offers (in their order) in the periods containing
 * `now`: null for an offer without a per-holder limit. One read for all of them.
 */
export async function remainingUsesOf(
  db: Queryable,
  offers: OfferRow[],
  holderKey: string,
  now: Date,
): Promise<(number | null)[]> {
  return remainingFrom(offers, now, await readUsage(db, holderKey, usageCountersOf(offers, now)));
}

/**
 * Takes one of a holder's uses of an offer in a limit period, unless they are all taken:
 * returns false then. The conditional upsert waits for any concurrent taker of the same row and
 * re-checks, and the CHECK on holder_usage backs it, so no concurrency exceeds the limit.
 */
export async function takeHolderUse(
  tx: Queryable,
  use: { offerId: number; holderKey: string; periodKey: string; limit: number },
): Promise<boolean> {
  const { rows } = await tx.raw(
    `insert into holder_usage (offer_id, holder_key, period_key, used, limit_count)
     values (?, ?, ?, 1, ?)
     on conflict (offer_id, holder_key, period_key) do update
       set used = holder_usage.used + 1
       where holder_usage.used < holder_usage.limit_count
     returning used`,
    [use.offerId, use.holderKey, use.periodKey, use.limit],
  );

  return rows.length === 1;
}
