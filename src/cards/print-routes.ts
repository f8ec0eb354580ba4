import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { requireAdmin } from '../admin/access';
import { Context } from '../context';
import { AppError } from '../errors';
import { businessDate } from '../time';
import { requireClubUser } from '../web/auth';
import { westernDigits } from '../web/format';
import { cardFace, currentCard } from './downloads';
import { issueCard, memberHolderKey } from './service';

/** Bulk printing of membership cards on A4 sheets: for a province or a list of members. */
export function cardPrintRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin/cards/print', requireClubUser, requireAdmin, showPrintForm(ctx));
  router.post('/admin/cards/print', requireClubUser, requireAdmin, printCards(ctx));

  return router;
}

/** At most this many cards in one PDF: 50 pages, which an office printer takes in one go. */
const MAX_CARDS = 500;

async function renderForm(ctx: Context, req: Request, res: Response, extra: Record<string, unknown> = {}) {
  const provinces = await ctx.db('provinces').orderBy('code');
  res.status(extra.error ? 422 : 200).render('admin-card-print', {
    title: req.tr('adminPrint.title'),
    isAdmin: true,
    provinces: provinces.map((row) => ({
      code: row.code,
      name: req.lang === 'ar' ? row.name_ar : row.name_fr,
    })),
    ...extra,
  });
}

function showPrintForm(ctx: Context) {
  return (req: Request, res: Response) => renderForm(ctx, req, res);
}

const printSchema = z.object({
  province: z.string().regex(/^\d{2}\.\d{3}$/).optional().or(z.literal('')),
  numbers: z.string().max(20_000).optional(),
});

/** Members in good standing today (active, with a paid period covering today). */
function inGoodStanding(ctx: Context, today: string) {
  return ctx
    .db('members as m')
    .where('m.status', 'active')
    .whereExists((periods) =>
      periods
        .from('membership_periods as p')
        .whereRaw('p.member_id = m.id')
        .andWhere('p.valid_from', '<=', today)
        .andWhere('p.valid_to', '>=', today),
    )
    .orderBy('m.number')
    .select('m.id', 'm.number');
}

function printCards(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = printSchema.safeParse(req.body);
    const now = new Date();
    const today = businessDate(now);
    const numbers = parsed.success
      ? [...new Set(westernDigits(parsed.data.numbers ?? '').split(/[\s,;]+/).filter(Boolean))]
      : [];
    const province = parsed.success ? parsed.data.province || null : null;
    if (!parsed.success || (!province && numbers.length === 0)) {
      await renderForm(ctx, req, res, { error: req.tr('adminPrint.errors.choose') });

      return;
    }

    const query = inGoodStanding(ctx, today);
    const members: { id: number; number: string }[] = province
      ? await query.where('m.work_province_code', province)
      : await query.whereIn('m.number', numbers);
    const missing = numbers.filter((number) => !members.some((member) => member.number === number));
    if (missing.length > 0 || members.length === 0 || members.length > MAX_CARDS) {
      const key = members.length > MAX_CARDS ? 'tooMany' : missing.length > 0 ? 'notPrintable' : 'none';
      await renderForm(ctx, req, res, {
        error: req.tr(`adminPrint.errors.${key}`, { numbers: missing.join(', '), max: MAX_CARDS }),
        numbers: parsed.data.numbers,
      });

      return;
    }

    const t = req.trIn;
    const cards = [];
    for (const member of members) {
      // The card the member already carries is printed again; a member without one gets one.
      let card = await currentCard(ctx, memberHolderKey(member.id));
      if (!card?.token) {
        await issueCard(ctx, { memberNumber: member.number, now });
        card = await currentCard(ctx, memberHolderKey(member.id));
      }
      if (!card) {
        throw new AppError(500, 'server');
      }
      const face = await cardFace(ctx, card, t);
      cards.push({
        holderNameLatin: face.holderNameLatin,
        holderNameArabic: face.holderNameArabic ?? face.holderNameLatin,
        membershipNumber: face.membershipNumber,
        validUntil: face.validUntil,
        qrText: face.qrText,
      });
    }

    res.type('application/pdf');
    res.attachment(`cartes_${province ?? 'liste'}_${today}.pdf`);
    // NOTE: loaded on the first print, not at every start: see cardFile.
    const { renderCardSheetPdf } = require('./pdf') as typeof import('./pdf');
    res.send(await renderCardSheetPdf(cards));
  };
}
