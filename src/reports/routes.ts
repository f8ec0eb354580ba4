import { Router, type Request, type Response } from 'express';

import { Context } from '../context';
import { AppError } from '../errors';
import { businessDate, formatDate, isIsoDate } from '../time';
import { clubUser, requireClubUser } from '../web/auth';
import { formatMoney, formatNumber } from '../web/format';
import { regionReportCsv } from './csv';
import { regionReport } from './regions';

/** The club's reports, behind a club login; a coordinator sees only their own regions. */
export function reportRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin/reports/regions', requireClubUser, showRegionReport(ctx));

  return router;
}

/** The report's date range: `from`/`to` as YYYY-MM-DD, by default the current month to date. */
function dateRange(req: Request): { from: string; to: string } {
  const today = businessDate(new Date());
  const from = typeof req.query.from === 'string' && req.query.from ? req.query.from : `${today.slice(0, 8)}01`;
  const to = typeof req.query.to === 'string' && req.query.to ? req.query.to : today;
  if (!isIsoDate(from) || !isIsoDate(to)) {
    throw new AppError(400, 'invalid_date');
  }

  return from <= to ? { from, to } : { from: to, to: from };
}

function showRegionReport(ctx: Context) {
  return async (req: Request, res: Response) => {
    const range = dateRange(req);
    const user = clubUser(req);
    const rows = (await regionReport(ctx.db, range)).filter(
      (row) => user.role === 'admin' || user.regions.includes(row.code),
    );
    if (req.query.format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.attachment(`regions_${range.from}_${range.to}.csv`);
      res.send('\ufeff' + regionReportCsv(rows));

      return;
    }

    const lang = req.lang;
    const total = rows.reduce(
      (sum, row) => ({
        redemptions: sum.redemptions + row.redemptions,
        gross: sum.gross + row.grossCents,
        discount: sum.discount + row.discountCents,
      }),
      { redemptions: 0, gross: 0, discount: 0 },
    );
    res.render('report-regions', {
      title: req.tr('report.title'),
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
