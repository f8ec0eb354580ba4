import { Queryable } from '../db';

export interface RegionTotals {
  code: string;
  nameFr: string;
  nameAr: string;
  redemptions: number;
  grossCents: number;
  discountCents: number;
}

/**
 * Redemptions per region between two business dates (inclusive), net of voids: a void row
 * carries the business date and region of the redemption it cancels and counts negatively.
 * Read from the daily totals per region plus the ledger rows not yet rolled up, in one
 * statement, so the watermark and the totals are one consistent state (see ./rollups).
 * Every region is listed, even with nothing to show: the club watches the quiet ones too.
 */
export async function regionReport(
  db: Queryable,
  range: { from: string; to: string },
): Promise<RegionTotals[]> {
  const { rows } = await db.raw(
    `with totals as (
       select region_code, redemptions, gross_cents, discount_cents
         from redemption_region_daily
        where business_date between ? and ?
       union all
       select r.region_code,
              case r.kind when 'void' then -1 else 1 end,
              case r.kind when 'void' then -r.gross_cents else r.gross_cents end,
              case r.kind when 'void' then -r.discount_cents else r.discount_cents end
         from redemptions r
        where r.id > (select rolled_up_to_id from rollup_state)
          and r.business_date between ? and ?)
     select g.code, g.name_fr, g.name_ar,
            coalesce(sum(t.redemptions), 0) as redemptions,
            coalesce(sum(t.gross_cents), 0) as gross_cents,
            coalesce(sum(t.discount_cents), 0) as discount_cents
       from regions g
       left join totals t on t.region_code = g.code
      group by g.code, g.name_fr, g.name_ar
      order by g.code`,
    [range.from, range.to, range.from, range.to],
  );

  return rows.map((row: Record<string, unknown>) => ({
    code: row.code as string,
    nameFr: row.name_fr as string,
    nameAr: row.name_ar as string,
    redemptions: Number(row.redemptions),
    grossCents: Number(row.gross_cents),
    discountCents: Number(row.discount_cents),
  }));
}
