import crypto from 'node:crypto';

import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { verifyPassword } from '../auth/passwords';
import { Context } from '../context';
import { AppError } from '../errors';
import { findOffer } from '../offers/repository';
import { discountCents } from '../offers/benefit';
import { findPartnerById, Partner } from '../partners/service';
import { benefitLabel, verdictView } from '../redemptions/presenter';
import { redeem, RedemptionRow } from '../redemptions/redeem';
import { recordRefusedAttempt, verifyCredential } from '../redemptions/verify';
import { formatDateTime } from '../time';
import { partnerUser, requirePartnerManager, requirePartnerUser, startSession } from '../web/auth';
import { rememberLanguageCookie } from '../web/language';
import { formatMoney, parseMadAmount } from '../web/format';
import { loginRateLimits } from '../web/rate-limit';
import { exportRedemptions, listRedemptions, showStatement } from './partner-pages';
import { createStaff, listStaff, resetStaffPassword, setStaffDisabled } from './staff';

// A hash to compare against when the e-mail is unknown, so both paths cost the same time.
const NO_SUCH_USER_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** The partner portal: login, scan, verdict, redeem, receipt. */
export function portalRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/login', showLogin);
  router.post('/login', ...loginRateLimits(ctx.db, tooManyLogins), login(ctx));
  router.post('/logout', logout);
  router.get('/portal', requirePartnerUser, (_req, res) => res.redirect('/portal/scan'));
  router.get('/portal/scan', requirePartnerUser, showScan);
  router.post('/portal/verify', requirePartnerUser, verifyScan(ctx));
  router.post('/portal/redeem/confirm', requirePartnerUser, confirmRedemption(ctx));
  router.post('/portal/redeem', requirePartnerUser, redeemScan(ctx));
  router.get('/portal/receipts/:reference', requirePartnerUser, showReceipt(ctx));
  router.get('/portal/redemptions', requirePartnerUser, listRedemptions(ctx));
  router.get('/portal/redemptions.csv', requirePartnerUser, exportRedemptions(ctx));
  router.get('/portal/statement', requirePartnerManager, showStatement(ctx));
  router.get('/portal/staff', requirePartnerManager, listStaff(ctx));
  router.post('/portal/staff', requirePartnerManager, createStaff(ctx));
  router.post('/portal/staff/:id/disable', requirePartnerManager, setStaffDisabled(ctx, true));
  router.post('/portal/staff/:id/enable', requirePartnerManager, setStaffDisabled(ctx, false));
  router.post('/portal/staff/:id/password', requirePartnerManager, resetStaffPassword(ctx));

  return router;
}

function showLogin(req: Request, res: Response) {
  res.render('login', { title: req.tr('login.title'), next: safeNext(req.query.next) });
}

function tooManyLogins(req: Request, res: Response) {
  res.status(429).render('login', {
    title: req.tr('login.title'),
    error: req.tr('login.tooMany'),
    next: safeNext(req.body?.next),
  });
}

/** Only a local path may follow the login, never another site. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) ? value : '';
}

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
  next: z.string().optional(),
});

function login(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = loginSchema.safeParse(req.body);
    const fail = () =>
      res.status(401).render('login', {
        title: req.tr('login.title'),
        error: req.tr('login.failed'),
        email: parsed.success ? parsed.data.email : '',
        next: safeNext(req.body?.next),
      });
    if (!parsed.success) {
      fail();

      return;
    }

    const { email, password } = parsed.data;
    const partnerRow = await ctx.db('partner_users').where({ email }).whereNull('disabled_at').first();
    const clubRow = partnerRow
      ? undefined
      : await ctx.db('club_users').where({ email }).whereNull('disabled_at').first();
    const row = partnerRow ?? clubRow;
    const ok = await verifyPassword(password, row?.password_hash ?? NO_SUCH_USER_HASH);
    if (!row || !ok) {
      fail();

      return;
    }

    const regions = clubRow
      ? (await ctx.db('coordinator_regions').where({ club_user_id: clubRow.id }).pluck('region_code'))
      : [];
    await startSession(
      req,
      partnerRow
        ? { kind: 'partner', id: partnerRow.id, partnerId: partnerRow.partner_id, role: partnerRow.role, name: partnerRow.name ?? email }
        : { kind: 'club', id: clubRow.id, role: clubRow.role, regions, name: clubRow.name ?? email },
    );
    if (partnerRow?.language) {
      rememberLanguageCookie(res, partnerRow.language);
    }
    const home = partnerRow ? '/portal/scan' : '/admin/reports/regions';
    res.redirect(safeNext(parsed.data.next) || home);
  };
}

function logout(req: Request, res: Response) {
  req.session.destroy(() => res.redirect('/login'));
}

function showScan(req: Request, res: Response) {
  res.render('scan', { title: req.tr('scan.title'), navCurrent: 'scan' });
}

async function currentPartner(ctx: Context, req: Request): Promise<Partner> {
  const partner = await findPartnerById(ctx.db, partnerUser(req).partnerId);
  if (!partner) {
    throw new AppError(403, 'forbidden');
  }

  return partner;
}

function verifyScan(ctx: Context) {
  return async (req: Request, res: Response) => {
    const qr = typeof req.body?.qr === 'string' ? req.body.qr : '';
    const partner = await currentPartner(ctx, req);
    const verdict = await verifyCredential(ctx, { qr, partner });
    if (verdict.reason) {
      await recordRefusedAttempt(ctx.db, {
        action: 'verify',
        reason: verdict.reason,
        channel: 'portal',
        partnerId: partner.id,
        partnerUserId: partnerUser(req).id,
        tokenId: verdict.tokenId,
        holderKey: verdict.holder?.holderKey,
        memberId: verdict.holder?.member.id,
      });
    }

    res.render('verdict', {
      title: req.tr('verdict.title'),
      navCurrent: 'scan',
      verdict: verdictView(verdict, req.lang, req.tr),
      // The forms carry the repaired text: the redemption then names the same token.
      qr: verdict.repairedQr ?? qr,
      repaired: verdict.repairedQr !== undefined,
      // Generated once per verdict page: a double click or a resubmitted form redeems once.
      idempotencyKey: crypto.randomUUID(),
    });
  };
}

const redeemFormSchema = z.object({
  qr: z.string().min(1).max(4096),
  offerId: z.coerce.number().int().positive(),
  amount: z.string().max(32),
  idempotencyKey: z.string().uuid(),
});

function parseRedeemForm(req: Request) {
  const parsed = redeemFormSchema.safeParse(req.body);
  if (!parsed.success) {
    throw new AppError(400, 'bad_request');
  }

  return { ...parsed.data, grossCents: parseMadAmount(parsed.data.amount) };
}

function confirmRedemption(ctx: Context) {
  return async (req: Request, res: Response) => {
    const form = parseRedeemForm(req);
    const partner = await currentPartner(ctx, req);
    const offer = await findOffer(ctx.db, form.offerId);
    if (!offer || offer.partner_id !== partner.id) {
      throw new AppError(404, 'not_found');
    }
    if (form.grossCents === null) {
      const verdict = await verifyCredential(ctx, { qr: form.qr, partner });
      res.status(422).render('verdict', {
        title: req.tr('verdict.title'),
        verdict: verdictView(verdict, req.lang, req.tr),
        qr: form.qr,
        idempotencyKey: form.idempotencyKey,
        amountError: req.tr('redeem.invalidAmount'),
        amount: form.amount,
      });

      return;
    }

    const discount = discountCents(offer.benefit_kind, offer.benefit_value, form.grossCents);
    res.render('confirm', {
      title: req.tr('redeem.confirmTitle'),
      qr: form.qr,
      offerId: offer.id,
      offerTitle: req.lang === 'ar' ? offer.title_ar : offer.title_fr,
      benefit: benefitLabel(offer, req.lang),
      amount: form.amount,
      gross: formatMoney(form.grossCents, req.lang),
      discount: formatMoney(discount, req.lang),
      net: formatMoney(form.grossCents - discount, req.lang),
      idempotencyKey: form.idempotencyKey,
    });
  };
}

function redeemScan(ctx: Context) {
  return async (req: Request, res: Response) => {
    const form = parseRedeemForm(req);
    if (form.grossCents === null) {
      throw new AppError(400, 'bad_request', 'redeem.invalidAmount');
    }

    const partner = await currentPartner(ctx, req);
    const outcome = await redeem(ctx, {
      qr: form.qr,
      offerId: form.offerId,
      grossCents: form.grossCents,
      idempotencyKey: form.idempotencyKey,
      partner,
      partnerUserId: partnerUser(req).id,
      channel: 'portal',
    }).catch((error: unknown) => {
      // CASE: the clerk went back, changed the amount and sent the same form again. Its key
      // already names a redemption; a clerk needs a new scan, not the API's wording.
      if (error instanceof AppError && error.code === 'idempotency_key_reused') return null;
      throw error;
    });
    if (outcome === null) {
      res.status(422).render('error', {
        title: req.tr('redeem.formUsedTitle'),
        message: req.tr('redeem.formUsed'),
        back: { href: '/portal/scan', label: req.tr('redeem.scanAgain') },
      });

      return;
    }
    if (outcome.status === 'refused') {
      res.status(409).render('verdict', {
        title: req.tr('verdict.title'),
        verdict: verdictView(outcome.verdict, req.lang, req.tr),
        qr: form.qr,
        idempotencyKey: crypto.randomUUID(),
      });

      return;
    }

    // Post/redirect/get: reloading the receipt never posts the redemption again.
    const query = outcome.replayed ? '?replayed=1' : '?saved=1';
    res.redirect(303, `/portal/receipts/${outcome.redemption.reference}${query}`);
  };
}

function showReceipt(ctx: Context) {
  return async (req: Request, res: Response) => {
    const user = partnerUser(req);
    const reference = String(req.params.reference);
    const redemption: RedemptionRow | undefined = /^R[A-Z0-9]{10}$/.test(reference)
      ? await ctx.db('redemptions')
          .where({ reference, partner_id: user.partnerId, kind: 'redeem' })
          .first()
      : undefined;
    if (!redemption) {
      throw new AppError(404, 'not_found');
    }

    const offer = (await findOffer(ctx.db, redemption.offer_id))!;
    const partner = (await findPartnerById(ctx.db, redemption.partner_id))!;
    const holder = redemption.dependant_id
      ? await ctx.db('dependants').where({ id: redemption.dependant_id }).first()
      : await ctx.db('members').where({ id: redemption.member_id }).first();
    res.render('receipt', {
      title: req.tr('receipt.title'),
      replayed: req.query.replayed === '1',
      saved: req.query.saved === '1',
      reference: redemption.reference,
      date: formatDateTime(new Date(redemption.occurred_at), req.lang),
      partner: req.lang === 'ar' && partner.display_name_ar ? partner.display_name_ar : partner.display_name,
      offer: req.lang === 'ar' ? offer.title_ar : offer.title_fr,
      holder: req.lang === 'ar' && holder.full_name_ar ? holder.full_name_ar : `${holder.first_name} ${holder.last_name}`,
      gross: formatMoney(redemption.gross_cents, req.lang),
      discount: formatMoney(redemption.discount_cents, req.lang),
      net: formatMoney(redemption.gross_cents - redemption.discount_cents, req.lang),
    });
  };
}
