import { Queryable } from '../db';
import { DateRange, ledgerSource, RegionScope } from './ledger';

/** One region's place in the club's promise of territorial fairness. */
export interface FairnessRow {
  code: string;
  nameFr: string;
  nameAr: string;
  population: number;
  /** Members in good standing on the last day of the range, by province of work. */
  members: number;
  /** Partners that could redeem on the last day: active, with a current agreement. */
  activePartners: number;
  /** Offers a member working in the region could use on the last day (national ones included). */
  offersAvailable: number;
  redemptions: number;
  discountCents: number;
  redemptionsPer1000Members: number | null;
  savingsCentsPer1000Members: number | null;
  offersPer10000Members: number | null;
  /** Percentages of the national totals, to set side by side. */
  shareOfMembers: number | null;
  shareOfSavings: number | null;
}

const per = (value: number, base: number, unit: number) =>
  base > 0 ? Math.round((value * unit * 100) / base) / 100 : null;

/**
 * Members, partners, offers and savings per region for a range. Shares are of the whole
 * country, so a coordinator sees where their region stands without seeing the other regions.
 */
export async function fairnessReport(
  db: Queryable,
  query: { range: DateRange; scope: RegionScope },
): Promise<FairnessRow[]> {
  const { range, scope } = query;
  const source = ledgerSource(range, {}, null);
  const { rows } = await db.raw(
    `with members_by_region as (
       select v.region_code, count(*) as members
         from members m join provinces v on v.code = m.work_province_code
        where m.status = 'active'
          and exists (select 1 from membership_periods p where p.member_id = m.id
                       and p.valid_from <= ?::date and p.valid_to >= ?::date)
        group by 1),
     open_partners as (
       select p.id, v.region_code
         from partners p join provinces v on v.code = p.province_code
        where p.status = 'active'
          and exists (select 1 from agreements a where a.partner_id = p.id
                       and a.starts_on <= ?::date and a.ends_on >= ?::date)),
     live_offers as (
       select o.scope, op.region_code
         from offers o join open_partners op on op.id = o.partner_id
        where o.status = 'active' and o.valid_from <= ?::date
          and (o.valid_to is null or o.valid_to >= ?::date)
          and (o.quota is null or o.redeemed_count < o.quota)),
     ledger as (
       select region_code, sum(redemptions) as redemptions, sum(discount_cents) as discount_cents
         from (${source.sql}) s group by 1)
     select g.code, g.name_fr, g.name_ar, g.population_2024,
            coalesce(mr.members, 0) as members,
            (select count(*) from open_partners op where op.region_code = g.code) as partners,
            (select count(*) from live_offers lo
              where lo.scope = 'national' or lo.region_code = g.code) as offers,
            coalesce(l.redemptions, 0) as redemptions,
            coalesce(l.discount_cents, 0) as discount_cents
       from regions g
       left join members_by_region mr on mr.region_code = g.code
       left join ledger l on l.region_code = g.code
      order by g.code`,
    [range.to, range.to, range.to, range.to, range.to, range.to, ...source.bindings],
  );

  const sumOf = (column: string) =>
    rows.reduce((sum: number, row: Record<string, unknown>) => sum + Number(row[column]), 0);
  const totalMembers = sumOf('members');
  const totalSavings = sumOf('discount_cents');

  return rows
    .filter((row: { code: string }) => !scope || scope.includes(row.code))
    .map((row: Record<string, unknown>): FairnessRow => {
      const members = Number(row.members);
      const redemptions = Number(row.redemptions);
      const discountCents = Number(row.discount_cents);
      const offersAvailable = Number(row.offers);

      return {
        code: row.code as string,
        nameFr: row.name_fr as string,
        nameAr: row.name_ar as string,
        population: Number(row.population_2024),
        members,
        activePartners: Number(row.partners),
        offersAvailable,
        redemptions,
        discountCents,
        redemptionsPer1000Members: per(redemptions, members, 1000),
        savingsCentsPer1000Members: members > 0 ? Math.round((discountCents * 1000) / members) : null,
        offersPer10000Members: per(offersAvailable, members, 10000),
        shareOfMembers: per(members, totalMembers, 100),
        shareOfSavings: per(discountCents, totalSavings, 100),
      };
    });
}
