import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { assertRegionVisible, regionScope } from '../admin/access';
import { Context } from '../context';
import { AppError, notFound } from '../errors';
import { Language } from '../i18n';
import { businessDate, formatDate, isIsoDate } from '../time';
import { clubUser, requireClubUser } from '../web/auth';
import { formatMoney, formatNumber } from '../web/format';
import { regionReportCsv } from './csv';
import { drillReport, DrillReport, Figures, monthlyTrend, TrendPoint } from './drill';
import { sendTable } from './exports';
import { fairnessReport, FairnessRow } from './fairness';
import { DateRange, LedgerFilter } from './ledger';
import { regionReport } from './regions';
import { drillCharts, fairnessCharts } from './report-charts';
import { presentTable, ReportTable } from './table';

/** The club's reports, behind a club login; a coordinator sees only their own regions. */
export function reportRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin/reports', requireClubUser, showDrillReport(ctx));
  router.get('/admin/reports/fairness', requireClubUser, showFairness(ctx));
  router.get('/admin/reports/regions', requireClubUser, showRegionReport(ctx));

  return router;
}

const EXPORT_FORMATS = ['html', 'csv', 'xlsx'] as const;

const reportQuerySchema = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  region: z.string().regex(/^\d{2}$/).optional(),
  province: z.string().regex(/^\d{2}\.\d{3}$/).optional(),
  partner: z.coerce.number().int().positive().optional(),
  format: z.string().default('html'),
  table: z.enum(['lines', 'months']).default('lines'),
});

type ReportParams = Omit<z.infer<typeof reportQuerySchema>, 'from' | 'to' | 'format'> & {
  format: (typeof EXPORT_FORMATS)[number];
};

/** What a report page was asked for, or the default page and why, when a field is wrong. */
interface ReportQuery {
  params: ReportParams;
  range: DateRange;
  /** Translation key of the inline error; the page then shows the default period on screen. */
  error: string | null;
}

/** The report's date range: `from`/`to` as YYYY-MM-DD, by default the current month to date. */
function dateRange(params: { from?: string; to?: string }): DateRange {
  const today = businessDate(new Date());
  const to = params.to || today;
  const from = params.from || `${to.slice(0, 8)}01`;

  return { from, to };
}

const isFormat = (format: string): format is ReportParams['format'] =>
  (EXPORT_FORMATS as readonly string[]).includes(format);

/**
 * Reads the period and the format a reader typed or picked, as the partner portal's ledger
 * does: a wrong one is an inline error above the report of the current month, never a swap or
 * an error page. The drill path (region, province, partner) comes from links, so a malformed
 * one is a bad request.
 */
function readReportQuery(req: Request): ReportQuery {
  const parsed = reportQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    throw new AppError(400, 'bad_request');
  }

  const { from, to, format, ...rest } = parsed.data;
  const onScreen = (error: string): ReportQuery => ({
    params: { ...rest, format: 'html' },
    range: dateRange({}),
    error: `adminReports.errors.${error}`,
  });
  if (!isFormat(format)) return onScreen('unknownFormat');
  if ((from && !isIsoDate(from)) || (to && !isIsoDate(to))) return onScreen('invalidDate');

  const range = dateRange({ from, to });
  if (range.from > range.to) return onScreen('badPeriod');

  return { params: { ...rest, format }, range, error: null };
}

interface Crumb {
  label: string;
  href: string | null;
}

/**
 * Checks each step of the drill path against the database and the reader's regions, and
 * names it for the breadcrumb. Anything the reader may not see is a 404.
 */
async function resolveFilter(ctx: Context, req: Request, params: ReportParams) {
  const filter: LedgerFilter = {};
  const names: { level: string; label: string }[] = [];
  const label = (row: { name_fr: string; name_ar: string }) =>
    req.lang === 'ar' ? row.name_ar : row.name_fr;
  if (params.region) {
    const region = await ctx.db('regions').where({ code: params.region }).first();
    assertRegionVisible(req, region?.code);
    if (!region) {
      throw notFound();
    }
    filter.region = region.code;
    names.push({ level: 'region', label: label(region) });
  }
  if (params.province) {
    const province = await ctx.db('provinces').where({ code: params.province }).first();
    assertRegionVisible(req, province?.region_code);
    if (!province || (filter.region && province.region_code !== filter.region)) {
      throw notFound();
    }
    filter.region = province.region_code;
    filter.province = province.code;
    names.push({ level: 'province', label: label(province) });
  }
  if (params.partner !== undefined) {
    const partner = await ctx
      .db('partners')
      .join('provinces', 'provinces.code', 'partners.province_code')
      .where('partners.id', params.partner)
      .first('partners.id', 'partners.display_name', 'partners.display_name_ar',
        'partners.province_code', 'provinces.region_code');
    assertRegionVisible(req, partner?.region_code);
    if (!partner || (filter.province && partner.province_code !== filter.province)) {
      throw notFound();
    }
    filter.region = partner.region_code;
    filter.province = partner.province_code;
    filter.partnerId = partner.id;
    names.push({
      level: 'partner',
      label: req.lang === 'ar' ? partner.display_name_ar ?? partner.display_name : partner.display_name,
    });
  }

  return { filter, names };
}

function reportUrl(range: DateRange, filter: LedgerFilter, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({ from: range.from, to: range.to });
  if (filter.region) query.set('region', filter.region);
  if (filter.province) query.set('province', filter.province);
  if (filter.partnerId !== undefined) query.set('partner', String(filter.partnerId));
  for (const [key, value] of Object.entries(extra)) query.set(key, value);

  return `/admin/reports?${query}`;
}

const FIGURE_COLUMNS = ['redemptions', 'gross', 'discount', 'holders'] as const;

function figureColumns(req: Request): ReportTable['columns'] {
  return [
    { key: 'redemptions', label: req.tr('adminReports.redemptions'), kind: 'count' },
    { key: 'gross', label: req.tr('adminReports.gross'), kind: 'money' },
    { key: 'discount', label: req.tr('adminReports.discount'), kind: 'money' },
    { key: 'holders', label: req.tr('adminReports.holders'), kind: 'count' },
  ];
}

function figureCells(values: Figures) {
  return {
    redemptions: values.redemptions,
    gross: values.grossCents,
    discount: values.discountCents,
    holders: values.holders,
  };
}

/** The lines of one drill level as a table, each line linking to the level below. */
function linesTable(req: Request, report: DrillReport, range: DateRange, filter: LedgerFilter): ReportTable {
  const nextFilter = (key: string): LedgerFilter | null => {
    switch (report.level) {
      case 'region':
        return { region: key };
      case 'province':
        return { ...filter, province: key };
      case 'partner':
        return { ...filter, partnerId: Number(key) };
      default:
        return null;
    }
  };

  return {
    name: `report_${report.level}_${range.from}_${range.to}`,
    columns: [
      { key: 'code', label: req.tr('adminReports.code'), kind: 'text' },
      { key: 'name', label: req.tr(`adminReports.level.${report.level}`), kind: 'text' },
      ...figureColumns(req),
    ],
    rows: report.rows.map((row) => {
      const next = nextFilter(row.key);

      return {
        code: row.key,
        name: req.lang === 'ar' ? row.nameAr : row.nameFr,
        nameHref: next ? reportUrl(range, next) : null,
        ...figureCells(row),
      };
    }),
    total: { code: '', name: req.tr('adminReports.total'), ...figureCells(report.total) },
  };
}

function monthsTable(req: Request, trend: TrendPoint[], range: DateRange): ReportTable {
  return {
    name: `report_months_${range.from}_${range.to}`,
    columns: [{ key: 'month', label: req.tr('adminReports.month'), kind: 'text' }, ...figureColumns(req)],
    rows: trend.map((point) => ({ month: point.month, ...figureCells(point) })),
  };
}

function showDrillReport(ctx: Context) {
  return async (req: Request, res: Response) => {
    const { params, range, error } = readReportQuery(req);
    const { filter, names } = await resolveFilter(ctx, req, params);
    const query = { range, filter, scope: regionScope(req) };
    if (params.format !== 'html') {
      const table =
        params.table === 'months'
          ? monthsTable(req, await monthlyTrend(ctx.db, query), range)
          : linesTable(req, await drillReport(ctx.db, query), range, filter);
      await sendTable(res, table, params.format, { rtl: req.lang === 'ar' });

      return;
    }

    const [report, trend] = await Promise.all([drillReport(ctx.db, query), monthlyTrend(ctx.db, query)]);
    const lines = linesTable(req, report, range, filter);
    const months = monthsTable(req, trend, range);
    res.status(error ? 400 : 200).render('admin-report', {
      title: req.tr('adminReports.title'),
      error: error ? req.tr(error) : null,
      range,
      period: `${formatDate(range.from, req.lang)} – ${formatDate(range.to, req.lang)}`,
      hidden: [
        ...(filter.region ? [{ name: 'region', value: filter.region }] : []),
        ...(filter.province ? [{ name: 'province', value: filter.province }] : []),
        ...(filter.partnerId !== undefined ? [{ name: 'partner', value: filter.partnerId }] : []),
      ],
      crumbs: breadcrumb(req, range, filter, names),
      levelLabel: req.tr(`adminReports.level.${report.level}`),
      lines: presentTable(lines, req.lang),
      months: presentTable(months, req.lang),
      charts: drillCharts(report, trend, req.lang, req.tr),
      exports: {
        linesCsv: reportUrl(range, filter, { format: 'csv' }),
        linesXlsx: reportUrl(range, filter, { format: 'xlsx' }),
        monthsCsv: reportUrl(range, filter, { format: 'csv', table: 'months' }),
        monthsXlsx: reportUrl(range, filter, { format: 'xlsx', table: 'months' }),
      },
      isAdmin: clubUser(req).role === 'admin',
    });
  };
}

function breadcrumb(
  req: Request,
  range: DateRange,
  filter: LedgerFilter,
  names: { level: string; label: string }[],
): Crumb[] {
  const crumbs: Crumb[] = [{ label: req.tr('adminReports.allRegions'), href: reportUrl(range, {}) }];
  const steps: LedgerFilter[] = [
    { region: filter.region },
    { region: filter.region, province: filter.province },
    filter,
  ];
  names.forEach((name, index) => crumbs.push({ label: name.label, href: reportUrl(range, steps[index]) }));
  crumbs[crumbs.length - 1].href = null;

  return crumbs;
}

function fairnessTable(req: Request, rows: FairnessRow[], range: DateRange): ReportTable {
  const t = (key: string) => req.tr(`adminReports.fairness.${key}`);

  return {
    name: `fairness_${range.from}_${range.to}`,
    columns: [
      { key: 'code', label: req.tr('adminReports.code'), kind: 'text' },
      { key: 'name', label: req.tr('adminReports.level.region'), kind: 'text' },
      { key: 'population', label: t('population'), kind: 'count' },
      { key: 'members', label: t('members'), kind: 'count' },
      { key: 'activePartners', label: t('activePartners'), kind: 'count' },
      { key: 'offersAvailable', label: t('offersAvailable'), kind: 'count' },
      { key: 'redemptions', label: req.tr('adminReports.redemptions'), kind: 'count' },
      { key: 'discount', label: req.tr('adminReports.discount'), kind: 'money' },
      { key: 'redemptionsPer1000', label: t('redemptionsPer1000'), kind: 'decimal' },
      { key: 'savingsPer1000', label: t('savingsPer1000'), kind: 'money' },
      { key: 'offersPer10000', label: t('offersPer10000'), kind: 'decimal' },
      { key: 'shareOfMembers', label: t('shareOfMembers'), kind: 'decimal' },
      { key: 'shareOfSavings', label: t('shareOfSavings'), kind: 'decimal' },
    ],
    rows: rows.map((row) => ({
      code: row.code,
      name: req.lang === 'ar' ? row.nameAr : row.nameFr,
      population: row.population,
      members: row.members,
      activePartners: row.activePartners,
      offersAvailable: row.offersAvailable,
      redemptions: row.redemptions,
      discount: row.discountCents,
      redemptionsPer1000: row.redemptionsPer1000Members,
      savingsPer1000: row.savingsCentsPer1000Members,
      offersPer10000: row.offersPer10000Members,
      shareOfMembers: row.shareOfMembers,
      shareOfSavings: row.shareOfSavings,
    })),
  };
}

function showFairness(ctx: Context) {
  return async (req: Request, res: Response) => {
    const { params, range, error } = readReportQuery(req);
    const rows = await fairnessReport(ctx.db, { range, scope: regionScope(req) });
    const table = fairnessTable(req, rows, range);
    if (params.format !== 'html') {
      await sendTable(res, table, params.format, { rtl: req.lang === 'ar' });

      return;
    }

    const base = `/admin/reports/fairness?from=${range.from}&to=${range.to}`;
    res.status(error ? 400 : 200).render('admin-fairness', {
      title: req.tr('adminReports.fairness.title'),
      error: error ? req.tr(error) : null,
      range,
      period: `${formatDate(range.from, req.lang)} – ${formatDate(range.to, req.lang)}`,
      table: presentTable(table, req.lang),
      charts: fairnessCharts(rows, req.lang, req.tr),
      exports: { csv: `${base}&format=csv`, xlsx: `${base}&format=xlsx` },
      isAdmin: clubUser(req).role === 'admin',
    });
  };
}

/** The first report of the skeleton, kept for its bookmarked links and the CLI's CSV. */
function showRegionReport(ctx: Context) {
  return async (req: Request, res: Response) => {
    const { params, range, error } = readReportQuery(req);
    const scope = regionScope(req);
    const rows = (await regionReport(ctx.db, range)).filter((row) => !scope || scope.includes(row.code));
    if (params.format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.attachment(`regions_${range.from}_${range.to}.csv`);
      res.send('\ufeff' + regionReportCsv(rows));

      return;
    }

    const lang: Language = req.lang;
    const total = rows.reduce(
      (sum, row) => ({
        redemptions: sum.redemptions + row.redemptions,
        gross: sum.gross + row.grossCents,
        discount: sum.discount + row.discountCents,
      }),
      { redemptions: 0, gross: 0, discount: 0 },
    );
    res.status(error ? 400 : 200).render('report-regions', {
      title: req.tr('report.title'),
      error: error ? req.tr(error) : null,
      from: range.from,
      to: range.to,
      period: `${formatDate(range.from, lang)} – ${formatDate(range.to, lang)}`,
      rows: rows.map((row) => ({
        code: row.code,
        name: lang === 'ar' ? row.nameAr : row.nameFr,
        redemptions: formatNumber(row.redemptions, lang),
        gross: formatMoney(row.grossCents, lang),
        discount: formatMoney(row.discountCents, lang),
      })),
      total: {
        redemptions: formatNumber(total.redemptions, lang),
        gross: formatMoney(total.gross, lang),
        discount: formatMoney(total.discount, lang),
      },
      csvUrl: `/admin/reports/regions?from=${range.from}&to=${range.to}&format=csv`,
    });
  };
}
