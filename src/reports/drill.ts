import { Queryable } from '../db';
import { DateRange, LedgerFilter, ledgerSource, RegionScope, servedSource } from './ledger';

/** The four levels a report drills through, each one inside the one before. */
export type DrillLevel = 'region' | 'province' | 'partner' | 'category';

/** Counts and amounts of one line of a report; money in centimes of MAD. */
export interface Figures {
  redemptions: number;
  grossCents: number;
  /** What members saved. */
  discountCents: number;
  /** Distinct cards or voucher holders served (a member and each dependant count apart). */
  holders: number;
}

export interface DrillRow extends Figures {
  key: string;
  nameFr: string;
  nameAr: string;
}

export interface DrillReport {
  level: DrillLevel;
  rows: DrillRow[];
  total: Figures;
}

export interface ReportQuery {
  range: DateRange;
  filter: LedgerFilter;
  scope: RegionScope;
}

/** The level shown under a filter: regions, then a region's provinces, then partners, then categories. */
export function levelOf(filter: LedgerFilter): DrillLevel {
  if (filter.partnerId !== undefined) {
    return 'category';
  }
  if (filter.province) {
    return 'partner';
  }

  return filter.region ? 'province' : 'region';
}

const GROUP_COLUMN: Record<DrillLevel, string> = {
  region: 'region_code',
  province: 'province_code',
  partner: 'partner_id',
  category: 'category',
};

/**
 * Every name a level can show, even with nothing to count: a quiet province or partner is
 * exactly what the club wants to see. Categories only exist through their redemptions.
 */
function namesQuery(level: DrillLevel, filter: LedgerFilter, scope: RegionScope) {
  switch (level) {
    case 'region':
      return {
        sql: `select code::text as key, name_fr, name_ar from regions
               where (?::text[] is null or code = any(?::text[]))`,
        bindings: [scope, scope],
      };
    case 'province':
      return {
        sql: `select code::text as key, name_fr, name_ar from provinces
               where region_code = ? and (?::text[] is null or region_code = any(?::text[]))`,
        bindings: [filter.region ?? '', scope, scope],
      };
    case 'partner':
      return {
        sql: `select p.id::text as key, p.display_name as name_fr,
                     coalesce(p.display_name_ar, p.display_name) as name_ar
                from partners p join provinces v on v.code = p.province_code
               where p.province_code = ? and (?::text[] is null or v.region_code = any(?::text[]))`,
        bindings: [filter.province ?? '', scope, scope],
      };
    case 'category':
      return null;
  }
}

function figures(row: Record<string, unknown> | undefined): Figures {
  return {
    redemptions: Number(row?.redemptions ?? 0),
    grossCents: Number(row?.gross_cents ?? 0),
    discountCents: Number(row?.discount_cents ?? 0),
    holders: Number(row?.holders ?? 0),
  };
}

async function totalsBy(db: Queryable, query: ReportQuery, column: string) {
  const source = ledgerSource(query.range, query.filter, query.scope);
  const served = servedSource(query.range, query.filter, query.scope);
  const { rows } = await db.raw(
    `with sums as (
       select ${column}::text as key, sum(redemptions) as redemptions,
              sum(gross_cents) as gross_cents, sum(discount_cents) as discount_cents
         from (${source.sql}) s group by 1),
     served as (
       select ${column}::text as key, count(distinct holder_key) as holders
         from (${served.sql}) h group by 1)
     select coalesce(sums.key, served.key) as key, sums.redemptions, sums.gross_cents,
            sums.discount_cents, served.holders
       from sums full join served on served.key = sums.key`,
    [...source.bindings, ...served.bindings],
  );

  return new Map<string, Figures>(
    rows.map((row: Record<string, unknown>) => [row.key as string, figures(row)]),
  );
}

/**
 * One level of the drill-down for a range: every line with its counts, amounts and holders,
 * net of voids, and the total of the level (its holders counted once, not summed).
 */
export async function drillReport(db: Queryable, query: ReportQuery): Promise<DrillReport> {
  const level = levelOf(query.filter);
  const byKey = await totalsBy(db, query, GROUP_COLUMN[level]);
  const names = namesQuery(level, query.filter, query.scope);
  const named: { key: string; name_fr: string; name_ar: string }[] = names
    ? (await db.raw(names.sql, names.bindings)).rows
    : [...byKey.keys()].sort().map((key) => ({ key, name_fr: key, name_ar: key }));
  const listed = new Set(named.map((row) => row.key));
  const rows: DrillRow[] = named.map((row) => ({
    key: row.key,
    nameFr: row.name_fr,
    nameAr: row.name_ar,
    ...(byKey.get(row.key) ?? figures(undefined)),
  }));
  // A partner that moved province keeps its redemptions where they happened: still listed.
  for (const [key, values] of byKey) {
    if (!listed.has(key)) {
      rows.push({ key, nameFr: key, nameAr: key, ...values });
    }
  }

  const overall = await totalsBy(db, query, `'all'`);

  return { level, rows, total: overall.get('all') ?? figures(undefined) };
}

export interface TrendPoint extends Figures {
  /** YYYY-MM */
  month: string;
}

/** The same figures month by month over the range, every month listed. */
export async function monthlyTrend(db: Queryable, query: ReportQuery): Promise<TrendPoint[]> {
  const byMonth = await totalsBy(db, query, `to_char(month, 'YYYY-MM')`);
  const { rows } = await db.raw(
    `select to_char(m, 'YYYY-MM') as month
       from generate_series(date_trunc('month', ?::date), ?::date, interval '1 month') m`,
    [query.range.from, query.range.to],
  );

  return rows.map((row: { month: string }) => ({
    month: row.month,
    ...(byMonth.get(row.month) ?? figures(undefined)),
  }));
}
