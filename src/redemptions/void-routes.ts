import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { Context } from '../context';
import { AppError } from '../errors';
import { findOffer } from '../offers/repository';
import { formatDateTime } from '../time';
import { partnerUser, requirePartnerUser } from '../web/auth';
import { formatMoney } from '../web/format';
import {
  findPartnerRedemption,
  findVoid,
  VOID_REASON_MAX_LENGTH,
  VOID_WINDOW_MINUTES,
  voidDeadline,
  voidRedemption,
} from './void';

/** Voiding a recent redemption from the portal: a confirmation form, then the void. */
export function voidRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/portal/redemptions/:reference/void', requirePartnerUser, showVoidForm(ctx));
  router.post('/portal/redemptions/:reference/void', requirePartnerUser, postVoid(ctx));

  return router;
}

const voidFormSchema = z.object({
  reason: z
    .string()
    .max(VOID_REASON_MAX_LENGTH * 2)
    .default(''),
});

/** What the confirmation page shows of the redemption. */
async function presentRedemption(ctx: Context, req: Request, reference: string) {
  const user = partnerUser(req);
  const redemption = await findPartnerRedemption(ctx, user.partnerId, reference);
  const offer = (await findOffer(ctx.db, redemption.offer_id))!;

  return {
    redemption,
    view: {
      reference: redemption.reference,
      date: formatDateTime(new Date(redemption.occurred_at), req.lang),
      offer: req.lang === 'ar' ? offer.title_ar : offer.title_fr,
      gross: formatMoney(redemption.gross_cents, req.lang),
      discount: formatMoney(redemption.discount_cents, req.lang),
      deadline: formatDateTime(voidDeadline(redemption), req.lang),
      minutes: VOID_WINDOW_MINUTES,
      isManager: user.role === 'manager',
    },
  };
}

function showVoidForm(ctx: Context) {
  return async (req: Request, res: Response) => {
    const { redemption, view } = await presentRedemption(ctx, req, String(req.params.reference));
    const existing = await findVoid(ctx, redemption.id);
    res.render('void-confirm', {
      title: req.tr('voidRedemption.title'),
      ...view,
      alreadyVoided: existing !== undefined,
      open: existing === undefined && new Date() < voidDeadline(redemption),
    });
  };
}

function postVoid(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = voidFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new AppError(400, 'bad_request');
    }

    const user = partnerUser(req);
    const reference = String(req.params.reference);
    try {
      const voided = await voidRedemption(ctx, {
        reference,
        partnerId: user.partnerId,
        partnerUserId: user.id,
        role: user.role,
        reason: parsed.data.reason,
        channel: 'portal',
      });
      const { view } = await presentRedemption(ctx, req, reference);
      res.render('void-done', {
        title: req.tr('voidRedemption.doneTitle'),
        ...view,
        voidReference: voided.reference,
      });
    } catch (error) {
      // CASE: a missing reason is the manager's slip: show the form again with the message.
      if (error instanceof AppError && error.code === 'void_reason_required') {
        const { view } = await presentRedemption(ctx, req, reference);
        res.status(422).render('void-confirm', {
          title: req.tr('voidRedemption.title'),
          ...view,
          open: true,
          error: req.tr(error.messageKey),
          reason: parsed.data.reason,
        });

        return;
      }
      throw error;
    }
  };
}
