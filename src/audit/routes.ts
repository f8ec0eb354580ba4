import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { requireAdmin } from '../admin/access';
import { Context } from '../context';
import { AppError } from '../errors';
import { sendTable } from '../reports/exports';
import { presentTable, ReportTable } from '../reports/table';
import { businessDate, endOfBusinessDay, formatDateTime, isIsoDate, startOfBusinessDay } from '../time';
import { requireClubUser } from '../web/auth';
import { AuditRow, listAudit } from './log';

/** The audit trail of administrators' changes: for the club's administrators only. */
export function auditRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin', requireClubUser, (_req, res) => res.redirect('/admin/reports'));
  router.get('/admin/audit', requireClubUser, requireAdmin, showAudit(ctx));

  return router;
}

const MAX_ROWS = 5000;

const auditQuerySchema = z.object({
  from: z.string().refine(isIsoDate).optional(),
  to: z.string().refine(isIsoDate).optional(),
  entity: z.string().regex(/^[a-z_]{1,40}$/).optional().or(z.literal('')),
  format: z.enum(['html', 'csv', 'xlsx']).default('html'),
});

function auditTable(req: Request, rows: AuditRow[], name: string): ReportTable {
  const t = (key: string) => req.tr(`adminAudit.${key}`);

  return {
    name,
    columns: [
      { key: 'at', label: t('at'), kind: 'text' },
      { key: 'actor', label: t('actor'), kind: 'text' },
      { key: 'action', label: t('action'), kind: 'text' },
      { key: 'entity', label: t('entity'), kind: 'text' },
      { key: 'entityId', label: t('entityId'), kind: 'text' },
      { key: 'before', label: t('before'), kind: 'text' },
      { key: 'after', label: t('after'), kind: 'text' },
    ],
    rows: rows.map((row) => ({
      at: formatDateTime(row.occurred_at, req.lang),
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
    })),
  };
}

function showAudit(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = auditQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      throw new AppError(400, 'invalid_date');
    }
    const today = businessDate(new Date());
    const from = parsed.data.from ?? `${today.slice(0, 8)}01`;
    const to = parsed.data.to ?? today;
    const rows = await listAudit(ctx.db, {
      since: startOfBusinessDay(from),
      until: endOfBusinessDay(to),
      entity: parsed.data.entity || undefined,
      limit: MAX_ROWS,
    });
    const table = auditTable(req, rows, `audit_${from}_${to}`);
    if (parsed.data.format !== 'html') {
      await sendTable(res, table, parsed.data.format, { rtl: req.lang === 'ar' });

      return;
    }

    const base = `/admin/audit?from=${from}&to=${to}&entity=${parsed.data.entity ?? ''}`;
    res.render('admin-audit', {
      title: req.tr('adminAudit.title'),
      range: { from, to },
      entity: parsed.data.entity ?? '',
      table: presentTable(table, req.lang),
      limited: rows.length === MAX_ROWS,
      exports: { csv: `${base}&format=csv`, xlsx: `${base}&format=xlsx` },
      isAdmin: true,
    });
  };
}
