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
 * Every region is listed, even with nothing to show: the club watches the quiet ones too.
 */
export async function regionReport(
  db: Queryable,
  range: { from: string; to: string },
): Promise<RegionTotals[]> {
  const { rows } = await db.raw(
    `select g.code, g.name_fr, g.name_ar,
            count(r.id) filter (where r.kind = 'redeem')
              - count(r.id) filter (where r.kind = 'void') as redemptions,
            coalesce(sum(case r.kind when 'void' then -r.gross_cents else r.gross_cents end), 0)
              as gross_cents,
            coalesce(sum(case r.kind when 'void' then -r.discount_cents else r.discount_cents end), 0)
              as discount_cents
       from regions g
       left join redemptions r
         on r.region_code = g.code and r.business_date between ? and ?
      group by g.code, g.name_fr, g.name_ar
      order by g.code`,
    [range.from, range.to],
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
