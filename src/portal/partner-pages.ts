import type { Request, Response } from 'express';
import moment from 'moment-timezone';
import { z } from 'zod';

import { Context } from '../context';
import { Language } from '../i18n';
import { partnerOffers } from '../offers/repository';
import { findPartnerById } from '../partners/service';
import { toCsv } from '../reports/export';
import { businessDate, formatDate, formatDateTime, isIsoDate } from '../time';
import { partnerUser } from '../web/auth';
import { formatMoney, formatNumber } from '../web/format';
import { LedgerRow, partnerLedger, partnerStatement } from './ledger';

/** The list shows this many rows; the CSV export holds the whole period. */
const LIST_LIMIT = 500;
const EXPORT_LIMIT = 100_000;
/** Longest period a list or export covers, in days: a year and a bit. */
const MAX_PERIOD_DAYS = 400;

const optionalId = z
  .union([z.literal(''), z.coerce.number().int().positive()])
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const ledgerQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  offer: optionalId,
  staff: optionalId,
  status: z.enum(['all', 'kept', 'voided']).catch('all'),
});

type LedgerQuery = { from: string; to: string; offer?: number; staff?: number; status: 'all' | 'kept' | 'voided' };

/** Reads the list's filters; today by default. Returns the problem's message key, if any. */
function readLedgerQuery(req: Request, now: Date): { query: LedgerQuery; error: string | null } {
  const today = businessDate(now);
  const parsed = ledgerQuery.safeParse(req.query);
  if (!parsed.success) {
    return { query: { from: today, to: today, status: 'all' }, error: 'counter.list.badFilter' };
  }

  const from = parsed.data.from || today;
  const to = parsed.data.to || parsed.data.from || today;
  const query = { ...parsed.data, from, to };
  if (!isIsoDate(from) || !isIsoDate(to)) {
    return { query: { ...query, from: today, to: today }, error: 'errors.invalid_date' };
  }
  if (from > to || moment.utc(to).diff(moment.utc(from), 'days') > MAX_PERIOD_DAYS) {
    return { query: { ...query, from: today, to: today }, error: 'counter.list.badPeriod' };
  }

  return { query, error: null };
}

function presentRow(row: LedgerRow, lang: Language) {
  return {
    reference: row.reference,
    when: formatDateTime(row.occurredAt, lang),
    offer: lang === 'ar' ? row.offerTitleAr : row.offerTitleFr,
    holder: lang === 'ar' && row.holderNameAr ? row.holderNameAr : row.holderName,
    staff: row.staffName,
    gross: formatMoney(row.grossCents, lang),
    discount: formatMoney(row.discountCents, lang),
    voided: row.voidedAt ? formatDateTime(row.voidedAt, lang) : null,
    voidReason: row.voidReason,
  };
}

/** Today's or past redemptions of the partner, with filters, totals and a CSV link. */
export function listRedemptions(ctx: Context) {
  return async (req: Request, res: Response) => {
    const now = new Date();
    const user = partnerUser(req);
    const { query, error } = readLedgerQuery(req, now);
    const filter = { partnerId: user.partnerId, from: query.from, to: query.to, offerId: query.offer, partnerUserId: query.staff, status: query.status };
    const rows = await partnerLedger(ctx.db, filter, LIST_LIMIT + 1);
    const shown = rows.slice(0, LIST_LIMIT);
    const kept = shown.filter((row) => !row.voidedAt);
    const offers = await partnerOffers(ctx.db, user.partnerId);
    const staff = await ctx.db('partner_users').where({ partner_id: user.partnerId }).orderBy('name').select('id', 'name', 'email');
    const csvQuery = new URLSearchParams({ from: query.from, to: query.to, status: query.status, ...(query.offer ? { offer: String(query.offer) } : {}), ...(query.staff ? { staff: String(query.staff) } : {}) });

    res.status(error ? 400 : 200).render('redemptions', {
      title: req.tr('counter.list.title'),
      navCurrent: 'redemptions',
      error: error ? req.tr(error) : null,
      query,
      period: query.from === query.to ? formatDate(query.from, req.lang) : `${formatDate(query.from, req.lang)} – ${formatDate(query.to, req.lang)}`,
      offers: offers.map((offer) => ({ id: offer.id, title: req.lang === 'ar' ? offer.title_ar : offer.title_fr, selected: offer.id === query.offer })),
      staff: staff.map((member) => ({ id: Number(member.id), name: member.name ?? member.email, selected: Number(member.id) === query.staff })),
      rows: shown.map((row) => presentRow(row, req.lang)),
      truncated: rows.length > LIST_LIMIT,
      total: {
        count: formatNumber(kept.length, req.lang),
        gross: formatMoney(kept.reduce((sum, row) => sum + row.grossCents, 0), req.lang),
        discount: formatMoney(kept.reduce((sum, row) => sum + row.discountCents, 0), req.lang),
      },
      csvUrl: `/portal/redemptions.csv?${csvQuery}`,
    });
  };
}

/** The same list as a CSV file for a spreadsheet: UTF-8 with BOM, formula-safe. */
export function exportRedemptions(ctx: Context) {
  return async (req: Request, res: Response) => {
    const now = new Date();
    const user = partnerUser(req);
    const { query, error } = readLedgerQuery(req, now);
    if (error) {
      res.status(400).render('error', { title: req.tr('errors.title'), message: req.tr(error) });

      return;
    }

    const rows = await partnerLedger(
      ctx.db,
      { partnerId: user.partnerId, from: query.from, to: query.to, offerId: query.offer, partnerUserId: query.staff, status: query.status },
      EXPORT_LIMIT,
    );
    const t = req.tr;
    const csv = toCsv({
      columns: [
        { key: 'reference', header: t('receipt.reference'), type: 'text' },
        { key: 'date', header: t('receipt.date'), type: 'date' },
        { key: 'time', header: t('counter.list.time'), type: 'text' },
        { key: 'offer', header: t('receipt.offer'), type: 'text' },
        { key: 'holder', header: t('verdict.holder'), type: 'text' },
        { key: 'memberNumber', header: t('verdict.memberNumber'), type: 'text' },
        { key: 'staff', header: t('counter.list.staff'), type: 'text' },
        { key: 'gross', header: t('counter.list.grossMad'), type: 'money' },
        { key: 'discount', header: t('counter.list.discountMad'), type: 'money' },
        { key: 'voided', header: t('counter.list.voidedOn'), type: 'text' },
        { key: 'voidReason', header: t('counter.list.voidReason'), type: 'text' },
      ],
      rows: rows.map((row) => ({
        reference: row.reference,
        date: row.businessDate,
        time: moment.tz(row.occurredAt, 'Africa/Casablanca').format('HH:mm'),
        offer: req.lang === 'ar' ? row.offerTitleAr : row.offerTitleFr,
        holder: row.holderName,
        memberNumber: row.memberNumber,
        staff: row.staffName ?? (row.channel === 'api' ? 'API' : ''),
        gross: row.grossCents,
        discount: row.discountCents,
        voided: row.voidedAt ? formatDateTime(row.voidedAt, 'fr') : '',
        voidReason: row.voidReason ?? '',
      })),
    });

    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="redemptions-${query.from}-${query.to}.csv"`);
    res.send(csv);
  };
}

const monthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() });

/** The manager's monthly statement: per offer, count, gross and discount; ready to print. */
export function showStatement(ctx: Context) {
  return async (req: Request, res: Response) => {
    const now = new Date();
    const user = partnerUser(req);
    const parsed = monthQuery.safeParse(req.query);
    const month = (parsed.success && parsed.data.month) || businessDate(now).slice(0, 7);
    const from = `${month}-01`;
    const to = moment.utc(from).endOf('month').format('YYYY-MM-DD');
    const statement = await partnerStatement(ctx.db, user.partnerId, from, to);
    const partner = (await findPartnerById(ctx.db, user.partnerId))!;
    const agreement = await ctx.db('agreements').where({ partner_id: partner.id }).where('starts_on', '<=', to).orderBy('ends_on', 'desc').first();
    const lang = req.lang;
    const money = (cents: number) => formatMoney(cents, lang);
    const monthName = new Intl.DateTimeFormat(lang === 'ar' ? 'ar-MA' : 'fr-MA', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${from}T00:00:00Z`));

    res.status(parsed.success ? 200 : 400).render('statement', {
      title: req.tr('counter.statement.title'),
      navCurrent: 'statement',
      error: parsed.success ? null : req.tr('counter.statement.badMonth'),
      month,
      monthName,
      partner: {
        name: lang === 'ar' && partner.display_name_ar ? partner.display_name_ar : partner.display_name,
        legalName: partner.legal_name,
        code: partner.code,
        address: partner.address,
        agreement: agreement?.reference ?? null,
      },
      period: `${formatDate(from, lang)} – ${formatDate(to, lang)}`,
      lines: statement.lines.map((line) => ({
        title: lang === 'ar' ? line.titleAr : line.titleFr,
        count: formatNumber(line.count, lang),
        gross: money(line.grossCents),
        discount: money(line.discountCents),
        net: money(line.grossCents - line.discountCents),
      })),
      total: {
        count: formatNumber(statement.total.count, lang),
        gross: money(statement.total.grossCents),
        discount: money(statement.total.discountCents),
        net: money(statement.total.grossCents - statement.total.discountCents),
      },
      voided: statement.voided,
      printedAt: formatDateTime(now, lang),
    });
  };
}
