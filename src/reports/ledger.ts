import { Knex } from 'knex';
import moment from 'moment-timezone';

/** A report's period: business dates, both included (YYYY-MM-DD). */
export interface DateRange {
  from: string;
  to: string;
}

/** Narrows a report to one place or partner. */
export interface LedgerFilter {
  region?: string;
  province?: string;
  partnerId?: number;
  category?: string;
}

/**
 * Which regions a reader may see: null for the club's administrators (all of them), the list of
 * their own regions for a coordinator. Every query below applies it in SQL.
 */
export type RegionScope = string[] | null;

export interface SqlPart {
  sql: string;
  bindings: Knex.RawBinding[];
}

/** The whole months inside a range, as [first day, first day after], or null when none. */
export function wholeMonths(range: DateRange): [string, string] | null {
  const from = moment.utc(range.from, 'YYYY-MM-DD', true);
  const to = moment.utc(range.to, 'YYYY-MM-DD', true);
  const start = from.date() === 1 ? from.clone() : from.clone().add(1, 'month').startOf('month');
  const lastDay = to.clone().endOf('month').date() === to.date();
  const end = lastDay ? to.clone().add(1, 'month').startOf('month') : to.clone().startOf('month');

  return start.isBefore(end) ? [start.format('YYYY-MM-DD'), end.format('YYYY-MM-DD')] : null;
}

/** `and <alias>.region_code = ? ...` for a filter and a scope. */
function conditions(alias: string, filter: LedgerFilter, scope: RegionScope): SqlPart {
  const parts: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  const add = (sql: string, value: Knex.RawBinding) => {
    parts.push(sql);
    bindings.push(value);
  };
  if (scope) {
    add(`${alias}.region_code = any(?)`, scope);
  }
  if (filter.region) {
    add(`${alias}.region_code = ?`, filter.region);
  }
  if (filter.province) {
    add(`${alias}.province_code = ?`, filter.province);
  }
  if (filter.partnerId !== undefined) {
    add(`${alias}.partner_id = ?`, filter.partnerId);
  }

  return { sql: parts.map((part) => ` and ${part}`).join(''), bindings };
}

/**
 * The net redemptions of a range as rows of (region_code, province_code, partner_id, category,
 * month, redemptions, gross_cents, discount_cents): whole months from the monthly totals, the
 * days around them from the daily totals, and the rows not yet rolled up from the ledger. One
 * statement reads all three, so it sees the watermark and the totals as one consistent state.
 */
export function ledgerSource(range: DateRange, filter: LedgerFilter, scope: RegionScope): SqlPart {
  const months = wholeMonths(range);
  const monthly = conditions('m', filter, scope);
  const daily = conditions('d', filter, scope);
  const recent = conditions('r', filter, scope);
  const categoryOf = (alias: string) => (filter.category ? ` and ${alias}.category = ?` : '');
  const category = filter.category ? [filter.category] : [];
  const columns = 'region_code, province_code, partner_id, category';
  const sql = `
    select ${columns}, m.month, m.redemptions, m.gross_cents, m.discount_cents
      from redemption_monthly m
     where m.month >= ? and m.month < ?${monthly.sql}${categoryOf('m')}
    union all
    select ${columns}, date_trunc('month', d.business_date)::date, d.redemptions, d.gross_cents,
           d.discount_cents
      from redemption_daily d
     where ((d.business_date >= ? and d.business_date < ?)
            or (d.business_date >= ? and d.business_date <= ?))${daily.sql}${categoryOf('d')}
    union all
    select r.region_code, r.province_code, r.partner_id, o.category,
           date_trunc('month', r.business_date)::date,
           case r.kind when 'void' then -1 else 1 end,
           case r.kind when 'void' then -r.gross_cents else r.gross_cents end,
           case r.kind when 'void' then -r.discount_cents else r.discount_cents end
      from redemptions r join offers o on o.id = r.offer_id
     where r.id > (select rolled_up_to_id from rollup_state)
       and r.business_date between ? and ?${recent.sql}${categoryOf('o')}`;
  const [monthStart, monthEnd] = months ?? ['1900-01-01', '1900-01-01'];
  // The days before and after the whole months, as two index ranges: a range with the months
  // cut out of it would read every day of the year to keep a few.
  const days = months
    ? [range.from, monthStart, monthEnd, range.to]
    : [range.from, range.from, range.from, range.to];

  return {
    sql,
    bindings: [
      monthStart, monthEnd, ...monthly.bindings, ...category,
      ...days, ...daily.bindings, ...category,
      range.from, range.to, ...recent.bindings, ...category,
    ],
  };
}

/**
 * The redemptions of a range that still count (not voided), one row each, for what totals
 * cannot give: how many distinct holders were served.
 * TODO: this reads the ledger itself, not the roll-ups, so on a year of millions of redemptions
 * the holders column is the slow part of a report (counts and amounts stay fast). A monthly
 * table of distinct holders per partner and category would make it fast for whole months.
 */
export function servedSource(range: DateRange, filter: LedgerFilter, scope: RegionScope): SqlPart {
  const where = conditions('r', filter, scope);
  const category = filter.category ? [filter.category] : [];

  return {
    sql: `
      select r.region_code, r.province_code, r.partner_id, o.category, r.holder_key,
             date_trunc('month', r.business_date)::date as month
        from redemptions r join offers o on o.id = r.offer_id
       where r.kind = 'redeem' and r.business_date between ? and ?${where.sql}
             ${filter.category ? ' and o.category = ?' : ''}
         and not exists (select 1 from redemptions v where v.voids_redemption_id = r.id)`,
    bindings: [range.from, range.to, ...where.bindings, ...category],
  };
}
