import { stringify } from 'csv-stringify/sync';

import { RegionTotals } from './regions';

/** Region totals as CSV: code, name, redemptions, gross and discount in MAD. */
export function regionReportCsv(rows: RegionTotals[]): string {
  return stringify(
    rows.map((row) => [
      row.code,
      row.nameFr,
      row.redemptions,
      (row.grossCents / 100).toFixed(2),
      (row.discountCents / 100).toFixed(2),
    ]),
    { header: true, columns: ['region_code', 'region_name', 'redemptions', 'gross_mad', 'discount_mad'] },
  );
}
