import { Queryable } from '../db';
import { ledgerSource } from './ledger';

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
 * Read from the daily and monthly totals plus the rows not yet rolled up (see ./ledger).
 * Every region is listed, even with nothing to show: the club watches the quiet ones too.
 */
export async function regionReport(
  db: Queryable,
  range: { from: string; to: string },
): Promise<RegionTotals[]> {
  const source = ledgerSource(range, {}, null);
  const { rows } = await db.raw(
    `select g.code, g.name_fr, g.name_ar,
            coalesce(sum(s.redemptions), 0) as redemptions,
            coalesce(sum(s.gross_cents), 0) as gross_cents,
            coalesce(sum(s.discount_cents), 0) as discount_cents
       from regions g
       left join (${source.sql}) s on s.region_code = g.code
      group by g.code, g.name_fr, g.name_ar
      order by g.code`,
    source.bindings,
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
