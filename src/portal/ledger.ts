import { Queryable } from '../db';

/** One redemption as a partner's lists show it: what, for whom, by whom, and whether voided. */
export interface LedgerRow {
  id: number;
  reference: string;
  occurredAt: Date;
  businessDate: string;
  offerId: number;
  offerTitleFr: string;
  offerTitleAr: string;
  holderName: string;
  holderNameAr: string | null;
  memberNumber: string;
  staffName: string | null;
  channel: 'api' | 'portal';
  grossCents: number;
  discountCents: number;
  voidedAt: Date | null;
  voidReason: string | null;
}

export interface LedgerFilter {
  partnerId: number;
  /** First and last business day (Morocco's legal time), inclusive. */
  from: string;
  to: string;
  offerId?: number;
  partnerUserId?: number;
  status?: 'all' | 'kept' | 'voided';
}

/**
 * A partner's redemptions over business days, newest first, with their void when there is one.
 * Only the partner's own rows: the partner id is part of every query.
 */
export async function partnerLedger(db: Queryable, filter: LedgerFilter, limit: number): Promise<LedgerRow[]> {
  const query = db('redemptions as r')
    .join('offers as o', 'o.id', 'r.offer_id')
    .join('members as m', 'm.id', 'r.member_id')
    .leftJoin('dependants as d', 'd.id', 'r.dependant_id')
    .leftJoin('partner_users as u', 'u.id', 'r.partner_user_id')
    .leftJoin('redemptions as v', 'v.voids_redemption_id', 'r.id')
    .where({ 'r.partner_id': filter.partnerId, 'r.kind': 'redeem' })
    .whereBetween('r.business_date', [filter.from, filter.to])
    .orderBy([{ column: 'r.occurred_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
    .limit(limit)
    .select(
      'r.id', 'r.reference', 'r.occurred_at', 'r.business_date', 'r.offer_id', 'r.channel',
      'r.gross_cents', 'r.discount_cents', 'o.title_fr', 'o.title_ar', 'm.number',
      'm.first_name as m_first', 'm.last_name as m_last', 'm.full_name_ar as m_ar',
      'd.first_name as d_first', 'd.last_name as d_last', 'd.full_name_ar as d_ar',
      'u.name as staff_name', 'u.email as staff_email', 'v.occurred_at as voided_at',
      'v.void_reason',
    );
  if (filter.offerId) {
    query.where('r.offer_id', filter.offerId);
  }
  if (filter.partnerUserId) {
    query.where('r.partner_user_id', filter.partnerUserId);
  }
  if (filter.status === 'kept') {
    query.whereNull('v.id');
  } else if (filter.status === 'voided') {
    query.whereNotNull('v.id');
  }

  const rows = await query;

  return rows.map((row) => ({
    id: Number(row.id),
    reference: row.reference,
    occurredAt: new Date(row.occurred_at),
    businessDate: row.business_date,
    offerId: Number(row.offer_id),
    offerTitleFr: row.title_fr,
    offerTitleAr: row.title_ar,
    holderName: row.d_first ? `${row.d_first} ${row.d_last}` : `${row.m_first} ${row.m_last}`,
    holderNameAr: row.d_first ? row.d_ar : row.m_ar,
    memberNumber: row.number,
    staffName: row.staff_name ?? row.staff_email ?? null,
    channel: row.channel,
    grossCents: Number(row.gross_cents),
    discountCents: Number(row.discount_cents),
    voidedAt: row.voided_at ? new Date(row.voided_at) : null,
    voidReason: row.void_reason ?? null,
  }));
}

/** One line of a monthly statement: an offer and what it gave over the month. */
export interface StatementLine {
  offerId: number;
  titleFr: string;
  titleAr: string;
  count: number;
  grossCents: number;
  discountCents: number;
}

export interface Statement {
  lines: StatementLine[];
  total: { count: number; grossCents: number; discountCents: number };
  /** Redemptions of the month voided since: left out of the lines and totals. */
  voided: number;
}

/**
 * A partner's statement for the business days `from`..`to`: per offer, the redemptions that
 * still stand (a voided redemption counts for nothing), and the totals.
 */
export async function partnerStatement(
  db: Queryable,
  partnerId: number,
  from: string,
  to: string,
): Promise<Statement> {
  const base = () =>
    db('redemptions as r')
      .where({ 'r.partner_id': partnerId, 'r.kind': 'redeem' })
      .whereBetween('r.business_date', [from, to]);
  const rows = await base()
    .join('offers as o', 'o.id', 'r.offer_id')
    .whereNotExists(db('redemptions as v').whereRaw('v.voids_redemption_id = r.id'))
    .groupBy('o.id', 'o.title_fr', 'o.title_ar')
    .orderBy('o.id')
    .select('o.id', 'o.title_fr', 'o.title_ar')
    .count('* as count')
    .sum('r.gross_cents as gross')
    .sum('r.discount_cents as discount');
  const voided = await base()
    .whereExists(db('redemptions as v').whereRaw('v.voids_redemption_id = r.id'))
    .count('* as n')
    .first();

  const lines = rows.map((row) => ({
    offerId: Number(row.id),
    titleFr: String(row.title_fr),
    titleAr: String(row.title_ar),
    count: Number(row.count),
    grossCents: Number(row.gross),
    discountCents: Number(row.discount),
  }));
  const total = lines.reduce(
    (sum, line) => ({
      count: sum.count + line.count,
      grossCents: sum.grossCents + line.grossCents,
      discountCents: sum.discountCents + line.discountCents,
    }),
    { count: 0, grossCents: 0, discountCents: 0 },
  );

  return { lines, total, voided: Number(voided?.n ?? 0) };
}
