import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { actorOf, requireAdmin } from '../admin/access';
import { Context } from '../context';
import { AppError, notFound } from '../errors';
import { parseMadAmount } from '../web/format';
import { businessDate, formatDate, isIsoDate } from '../time';
import { requireClubUser } from '../web/auth';
import {
  addAgreement,
  addOffer,
  addPartnerUser,
  createPartner,
  listPartners,
  setOfferStatus,
  setPartnerUserDisabled,
  updatePartner,
} from './admin';

/** Partner administration: details, agreements, logins and offers; club admins only. */
export function partnerAdminRoutes(ctx: Context): Router {
  const router = Router();
  const admin = [requireClubUser, requireAdmin];
  router.get('/admin/partners', ...admin, showPartners(ctx));
  router.post('/admin/partners', ...admin, newPartner(ctx));
  router.get('/admin/partners/:id', ...admin, showPartner(ctx));
  router.post('/admin/partners/:id', ...admin, editPartner(ctx));
  router.post('/admin/partners/:id/agreements', ...admin, newAgreement(ctx));
  router.post('/admin/partners/:id/users', ...admin, newUser(ctx));
  router.post('/admin/partners/:id/users/:userId/access', ...admin, userAccess(ctx));
  router.post('/admin/partners/:id/offers', ...admin, newOffer(ctx));
  router.post('/admin/partners/:id/offers/:offerId/status', ...admin, offerStatus(ctx));

  return router;
}

const CATEGORIES = [
  'pharmacy', 'clinic', 'doctor', 'laboratory', 'optician', 'hotel', 'transport', 'sport', 'shop',
] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z.string().trim().max(max).optional().transform((value) => value || null);
const isoDate = z.string().refine(isIsoDate);

const partnerSchema = z.object({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{2,20}$/),
  legalName: text(200),
  displayName: text(120),
  displayNameAr: optionalText(120),
  category: z.enum(CATEGORIES),
  provinceCode: z.string().regex(/^\d{2}\.\d{3}$/),
  address: optionalText(300),
  phone: optionalText(40),
  status: z.enum(['active', 'suspended']).default('active'),
});

const id = (value: unknown) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw notFound();
  }

  return number;
};

const by = (req: Request) => ({ actor: actorOf(req), now: new Date() });

async function provinces(ctx: Context, lang: string) {
  const rows = await ctx.db('provinces').orderBy('code');

  return rows.map((row) => ({ code: row.code, name: lang === 'ar' ? row.name_ar : row.name_fr }));
}

async function renderList(ctx: Context, req: Request, res: Response, extra: Record<string, unknown> = {}) {
  const today = businessDate(new Date());
  const rows = await listPartners(ctx.db, today);
  res.status(extra.error ? 422 : 200).render('admin-partners', {
    title: req.tr('adminPartners.title'),
    isAdmin: true,
    partners: rows.map((row) => ({
      id: row.id,
      code: row.code,
      name: req.lang === 'ar' ? row.display_name_ar ?? row.display_name : row.display_name,
      category: req.tr(`adminPartners.categories.${row.category}`, { defaultValue: row.category }),
      province: req.lang === 'ar' ? row.province_name_ar : row.province_name_fr,
      status: req.tr(`adminPartners.status.${row.status}`),
      agreement: row.agreement_ends_on
        ? req.tr('adminPartners.agreementUntil', { date: formatDate(row.agreement_ends_on, req.lang) })
        : req.tr('adminPartners.noAgreement'),
      canRedeem: row.status === 'active' && row.agreement_ends_on !== null,
    })),
    categories: CATEGORIES.map((code) => ({ code, label: req.tr(`adminPartners.categories.${code}`) })),
    provinces: await provinces(ctx, req.lang),
    ...extra,
  });
}

function showPartners(ctx: Context) {
  return (req: Request, res: Response) => renderList(ctx, req, res);
}

/** The message for a refused change, or null when the error is not the person's mistake. */
function refusal(req: Request, error: unknown): string | null {
  if (error instanceof AppError && error.status < 500) {
    const fallback = req.tr('adminPartners.errors.invalid');

    return req.tr(`adminPartners.errors.${error.code}`, { defaultValue: fallback });
  }

  return null;
}

function newPartner(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = partnerSchema.safeParse(req.body);
    if (!parsed.success) {
      await renderList(ctx, req, res, { error: req.tr('adminPartners.errors.invalid') });

      return;
    }
    const input = parsed.data;
    try {
      const partnerId = await createPartner(ctx.db, {
        code: input.code, legal_name: input.legalName, display_name: input.displayName,
        display_name_ar: input.displayNameAr, category: input.category,
        province_code: input.provinceCode, address: input.address, phone: input.phone,
        status: input.status,
      }, by(req));
      res.redirect(303, `/admin/partners/${partnerId}?saved=1`);
    } catch (error) {
      const message =
        refusal(req, error) ?? (isForeignKey(error) ? req.tr('adminPartners.errors.invalid') : null);
      if (!message) {
        throw error;
      }
      await renderList(ctx, req, res, { error: message });
    }
  };
}

function isForeignKey(error: unknown): boolean {
  return (error as { code?: string }).code === '23503';
}

async function renderPartner(ctx: Context, req: Request, res: Response, extra: Record<string, unknown> = {}) {
  const partnerId = id(req.params.id);
  const partner = await ctx.db('partners').where({ id: partnerId }).first();
  if (!partner) {
    throw notFound();
  }
  const [agreements, users, offers] = await Promise.all([
    ctx.db('agreements').where({ partner_id: partnerId }).orderBy('starts_on', 'desc'),
    ctx.db('partner_users').where({ partner_id: partnerId }).orderBy('email'),
    ctx.db('offers').where({ partner_id: partnerId }).orderBy('id'),
  ]);
  const date = (value: string | null) => (value ? formatDate(value, req.lang) : '—');
  res.status(extra.error ? 422 : 200).render('admin-partner', {
    title: partner.display_name,
    isAdmin: true,
    saved: req.query.saved === '1',
    partner,
    categories: CATEGORIES.map((code) => ({
      code,
      label: req.tr(`adminPartners.categories.${code}`),
      selected: code === partner.category,
    })),
    provinces: (await provinces(ctx, req.lang)).map((province) => ({
      ...province,
      selected: province.code === partner.province_code,
    })),
    agreements: agreements.map((row) => ({
      reference: row.reference,
      from: date(row.starts_on),
      to: date(row.ends_on),
    })),
    users: users.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      role: req.tr(`adminPartners.roles.${row.role}`),
      disabled: row.disabled_at !== null,
    })),
    offers: offers.map((row) => ({
      id: row.id,
      title: req.lang === 'ar' ? row.title_ar : row.title_fr,
      category: row.category,
      from: date(row.valid_from),
      to: date(row.valid_to),
      withdrawn: row.status === 'withdrawn',
    })),
    ...extra,
  });
}

function showPartner(ctx: Context) {
  return (req: Request, res: Response) => renderPartner(ctx, req, res);
}

/** Runs a change; a person's mistake re-renders the partner page with the message. */
async function change(ctx: Context, req: Request, res: Response, work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    const message = refusal(req, error);
    if (!message || (error instanceof AppError && error.status === 404)) {
      throw error;
    }
    await renderPartner(ctx, req, res, { error: message });

    return;
  }
  res.redirect(303, `/admin/partners/${id(req.params.id)}?saved=1`);
}

function invalid(ctx: Context, req: Request, res: Response) {
  return renderPartner(ctx, req, res, { error: req.tr('adminPartners.errors.invalid') });
}

function editPartner(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = partnerSchema.safeParse(req.body);
    if (!parsed.success) {
      await invalid(ctx, req, res);

      return;
    }
    const input = parsed.data;
    await change(ctx, req, res, () =>
      updatePartner(ctx.db, id(req.params.id), {
        code: input.code, legal_name: input.legalName, display_name: input.displayName,
        display_name_ar: input.displayNameAr, category: input.category,
        province_code: input.provinceCode, address: input.address, phone: input.phone,
        status: input.status,
      }, by(req)),
    );
  };
}

const agreementSchema = z.object({ reference: text(60), startsOn: isoDate, endsOn: isoDate });

function newAgreement(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = agreementSchema.safeParse(req.body);
    if (!parsed.success) {
      await invalid(ctx, req, res);

      return;
    }
    await change(ctx, req, res, () => addAgreement(ctx.db, id(req.params.id), parsed.data, by(req)));
  };
}

const userSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: optionalText(120),
  role: z.enum(['staff', 'manager']),
  password: z.string().min(8).max(200),
});

function newUser(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = userSchema.safeParse(req.body);
    if (!parsed.success) {
      await renderPartner(ctx, req, res, { error: req.tr('adminPartners.errors.user') });

      return;
    }
    await change(ctx, req, res, () => addPartnerUser(ctx.db, id(req.params.id), parsed.data, by(req)));
  };
}

function userAccess(ctx: Context) {
  return async (req: Request, res: Response) => {
    const disabled = req.body?.disabled === '1';
    await change(ctx, req, res, () =>
      setPartnerUserDisabled(ctx.db, id(req.params.id), id(req.params.userId), disabled, by(req)),
    );
  };
}

const offerSchema = z.object({
  titleFr: text(200),
  titleAr: text(200),
  descriptionFr: optionalText(1000),
  descriptionAr: optionalText(1000),
  category: text(60),
  benefitKind: z.enum(['percent', 'amount', 'free']),
  benefitValue: z.string().trim().optional(),
  scope: z.enum(['province', 'region', 'national']),
  validFrom: isoDate,
  validTo: z.union([z.literal(''), isoDate]).optional(),
  voucherRequired: z.literal('1').optional(),
  dependantsEligible: z.literal('1').optional(),
  limitCount: z.union([z.literal(''), z.coerce.number().int().positive()]).optional(),
  limitPeriod: z.enum(['', 'day', 'week', 'month', 'year', 'lifetime']).optional(),
  quota: z.union([z.literal(''), z.coerce.number().int().positive()]).optional(),
});

/** The benefit's value as stored: whole percent, or centimes of MAD typed as an amount. */
function benefitValue(kind: string, typed: string | undefined): number | null {
  if (kind === 'free') {
    return 0;
  }
  if (kind === 'percent') {
    const percent = Number(typed);

    return Number.isInteger(percent) && percent >= 1 && percent <= 100 ? percent : null;
  }
  const cents = parseMadAmount(typed ?? '');

  return cents && cents > 0 ? cents : null;
}

function newOffer(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = offerSchema.safeParse(req.body);
    const input = parsed.success ? parsed.data : null;
    const value = input ? benefitValue(input.benefitKind, input.benefitValue) : null;
    const limitCount = input?.limitCount || null;
    const limitPeriod = input?.limitPeriod || null;
    const validTo = input?.validTo || null;
    if (!input || value === null || (limitCount === null) !== (limitPeriod === null)
      || (validTo !== null && validTo < input.validFrom)) {
      await renderPartner(ctx, req, res, { error: req.tr('adminPartners.errors.offer') });

      return;
    }
    await change(ctx, req, res, () =>
      addOffer(ctx.db, id(req.params.id), {
        title_fr: input.titleFr, title_ar: input.titleAr,
        description_fr: input.descriptionFr, description_ar: input.descriptionAr,
        category: input.category, benefit_kind: input.benefitKind, benefit_value: value,
        scope: input.scope, valid_from: input.validFrom, valid_to: validTo,
        voucher_required: input.voucherRequired === '1',
        dependants_eligible: input.dependantsEligible === '1',
        limit_count: limitCount, limit_period: limitPeriod, quota: input.quota || null,
      }, by(req)),
    );
  };
}

function offerStatus(ctx: Context) {
  return async (req: Request, res: Response) => {
    const status = req.body?.status === 'withdrawn' ? 'withdrawn' : 'active';
    await change(ctx, req, res, () =>
      setOfferStatus(ctx.db, id(req.params.id), id(req.params.offerId), status, by(req)),
    );
  };
}
