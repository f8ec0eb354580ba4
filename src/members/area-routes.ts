import { Router, type NextFunction, type Request, type Response } from 'express';
import type { i18n } from 'i18next';
import { z } from 'zod';

import { cardFace, cardFile, CARD_FORMATS, CardFormat } from '../cards/downloads';
import { Context } from '../context';
import { AppError } from '../errors';
import { isOfferCategory, OFFER_CATEGORIES } from '../offers/catalogue';
import { benefitLabel } from '../redemptions/presenter';
import { businessDate, formatDate, formatDateTime } from '../time';
import { formatVoucherCode, VoucherRow } from '../vouchers/repository';
import type { VoucherSheet } from '../vouchers/documents';
import { issueVoucher, memberVouchers, voucherStatus, voucherUrl } from '../vouchers/service';
import { formatMoney, westernDigits } from '../web/format';
import { startSession } from '../web/auth';
import { activateMember, authenticateMember, MIN_PASSWORD_LENGTH } from './accounts';
import { cardHolders, ensureCurrentCard, holderOf, memberHistory, offersNearMember } from './area';
import { findMemberById, fullName, MemberRow } from './repository';

type MemberUser = { kind: 'member'; id: number; number: string; name: string };

/** The members' area: sign in, card, offers near them, vouchers, history. */
export function memberAreaRoutes(ctx: Context, i18n: i18n): Router {
  const router = Router();
  router.get('/member/login', showLogin);
  router.post('/member/login', login(ctx));
  router.get('/member/activate', showActivate);
  router.post('/member/activate', activate(ctx));
  router.post('/member/logout', logout);
  router.get('/member', requireMember, home(ctx));
  router.get('/member/cards/:holder.:format', requireMember, downloadCard(ctx, i18n));
  router.get('/member/offers', requireMember, offers(ctx));
  router.post('/member/vouchers', requireMember, getVoucher(ctx));
  router.get('/member/vouchers', requireMember, vouchers(ctx));
  router.get('/member/vouchers/:id.:format', requireMember, downloadVoucher(ctx, i18n));
  router.get('/member/history', requireMember, history(ctx));

  return router;
}

/** A signed-in member, or a redirect to the members' sign-in page. */
function requireMember(req: Request, res: Response, next: NextFunction): void {
  const user = req.session.user;
  if (!user) {
    res.redirect(`/member/login?next=${encodeURIComponent(req.originalUrl)}`);

    return;
  }
  if (user.kind !== 'member') {
    next(new AppError(403, 'forbidden'));

    return;
  }
  next();
}

async function signedInMember(ctx: Context, req: Request): Promise<MemberRow> {
  const member = await findMemberById(ctx.db, (req.session.user as MemberUser).id);
  if (!member) {
    throw new AppError(403, 'forbidden');
  }

  return member;
}

/** Only a path inside the members' area may follow the sign-in. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/member(\/[\w\-./?=&%]*)?$/.test(value) ? value : '';
}

function showLogin(req: Request, res: Response) {
  res.render('member-login', {
    title: req.tr('memberArea.login.title'),
    next: safeNext(req.query.next),
  });
}

// A phone set to Arabic may type the number in Arabic-Indic digits.
const typedNumber = z.string().trim().max(32).transform(westernDigits);

const loginSchema = z.object({
  number: typedNumber,
  password: z.string().max(1024),
  next: z.string().optional(),
});

function login(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = loginSchema.safeParse(req.body ?? {});
    const member = parsed.success
      ? await authenticateMember(ctx.db, parsed.data.number, parsed.data.password)
      : null;
    if (!parsed.success || !member) {
      res.status(401).render('member-login', {
        title: req.tr('memberArea.login.title'),
        error: req.tr('memberArea.login.failed'),
        number: parsed.success ? parsed.data.number : '',
        next: safeNext(req.body?.next),
      });

      return;
    }

    await startSession(req, { kind: 'member', id: member.id, number: member.number, name: fullName(member) });
    res.redirect(303, safeNext(parsed.data.next) || '/member');
  };
}

function showActivate(req: Request, res: Response) {
  res.render('member-activate', {
    title: req.tr('memberArea.activate.title'),
    min: MIN_PASSWORD_LENGTH,
  });
}

const activateSchema = z.object({
  number: typedNumber,
  code: typedNumber,
  password: z.string().max(1024),
  confirm: z.string().max(1024),
});

function activate(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = activateSchema.safeParse(req.body ?? {});
    const again = (status: number, messageKey: string) =>
      res.status(status).render('member-activate', {
        title: req.tr('memberArea.activate.title'),
        min: MIN_PASSWORD_LENGTH,
        error: req.tr(messageKey, { min: MIN_PASSWORD_LENGTH }),
        number: parsed.success ? parsed.data.number : '',
        code: parsed.success ? parsed.data.code : '',
      });
    if (!parsed.success) {
      again(422, 'memberArea.errors.activationFailed');

      return;
    }
    if (parsed.data.password !== parsed.data.confirm) {
      again(422, 'memberArea.errors.passwordsDiffer');

      return;
    }

    try {
      await activateMember(ctx.db, parsed.data);
    } catch (error) {
      if (error instanceof AppError && error.status === 422) {
        again(422, error.messageKey);

        return;
      }
      throw error;
    }
    res.render('member-login', {
      title: req.tr('memberArea.login.title'),
      notice: req.tr('memberArea.activate.done'),
      number: parsed.data.number,
    });
  };
}

function logout(req: Request, res: Response) {
  req.session.destroy(() => res.redirect(303, '/member/login'));
}

function home(ctx: Context) {
  return async (req: Request, res: Response) => {
    const member = await signedInMember(ctx, req);
    // NOTE: loaded here rather than at start, like the card and voucher renderers below.
    const { qrDataUrl } = require('../cards/qr') as typeof import('../cards/qr');
    const cards = [];
    let noCard = false;
    for (const holder of await cardHolders(ctx.db, member)) {
      try {
        const card = await ensureCurrentCard(ctx, holder);
        const segment = holder.dependant ? String(holder.dependant.id) : 'member';
        cards.push({
          name: req.lang === 'ar' && holder.nameAr ? holder.nameAr : holder.name,
          relation: holder.dependant
            ? req.tr(`memberArea.relation.${holder.dependant.relation}`)
            : null,
          qr: await qrDataUrl(`${ctx.config.publicBaseUrl}/v/${card.token}`),
          validUntil: formatDate(
            businessDate(new Date(new Date(card.expires_at).getTime() - 1)),
            req.lang,
          ),
          downloads: ['pdf', ...CARD_FORMATS].map((format) => ({
            format: format.toUpperCase(),
            href: `/member/cards/${segment}.${format}`,
          })),
        });
      } catch (error) {
        // CASE: no paid period running: the member sees why there is no card, not an error page.
        if (error instanceof AppError && error.code === 'no_paid_membership') {
          noCard = true;
          break;
        }
        throw error;
      }
    }

    res.render('member-home', {
      title: req.tr('memberArea.home.title'),
      member: { number: member.number },
      cards,
      noCard,
    });
  };
}

function downloadCard(ctx: Context, i18n: i18n) {
  return async (req: Request, res: Response) => {
    const format = String(req.params.format);
    if (format !== 'pdf' && !(CARD_FORMATS as readonly string[]).includes(format)) {
      throw new AppError(404, 'not_found');
    }

    const member = await signedInMember(ctx, req);
    const holder = await holderOf(ctx.db, member, String(req.params.holder));
    const card = await ensureCurrentCard(ctx, holder);
    const t = { fr: i18n.getFixedT('fr'), ar: i18n.getFixedT('ar') };
    if (format === 'pdf') {
      const face = await cardFace(ctx, card, t);
      // NOTE: the PDF, font and image libraries load on the first download, not at every start.
      const { renderCardPdf } = require('../cards/pdf') as typeof import('../cards/pdf');
      const pdf = await renderCardPdf({
        holderNameLatin: face.holderNameLatin,
        holderNameArabic: face.holderNameArabic ?? face.holderNameLatin,
        membershipNumber: face.membershipNumber,
        relation: face.relation ?? undefined,
        validUntil: face.validUntil,
        qrText: face.qrText,
      });
      const suffix = holder.dependant ? `-${holder.dependant.id}` : '';
      res.type('application/pdf').attachment(`carte-${member.number}${suffix}.pdf`).send(pdf);

      return;
    }

    const file = await cardFile(ctx, card, format as CardFormat, t);
    res.type(file.contentType).attachment(file.filename).send(file.body);
  };
}

function offers(ctx: Context) {
  return async (req: Request, res: Response) => {
    const member = await signedInMember(ctx, req);
    const category = isOfferCategory(req.query.category) ? req.query.category : undefined;
    const nearby = await offersNearMember(ctx, member, { category });
    const holders = await cardHolders(ctx.db, member);
    const groups = (['province', 'region', 'national'] as const).map((nearness) => ({
      heading: req.tr(`memberArea.offers.near.${nearness}`),
      offers: nearby
        .filter((entry) => entry.nearness === nearness)
        .map(({ offer, remaining }) => ({
          id: offer.id,
          title: req.lang === 'ar' ? offer.title_ar : offer.title_fr,
          description: req.lang === 'ar' ? offer.description_ar : offer.description_fr,
          partner:
            req.lang === 'ar' && offer.partner_name_ar ? offer.partner_name_ar : offer.partner_name,
          category: req.tr(`memberArea.categories.${offer.category}`, {
            defaultValue: offer.category,
          }),
          benefit: benefitLabel(offer, req.lang),
          voucherRequired: offer.voucher_required,
          remainingText:
            remaining === null ? null : req.tr('memberArea.offers.remaining', { count: remaining }),
          holders: holders
            .filter((holder) => holder.dependant === null || offer.dependants_eligible)
            .map((holder) => ({
              value: holder.dependant ? String(holder.dependant.id) : 'member',
              name: req.lang === 'ar' && holder.nameAr ? holder.nameAr : holder.name,
            })),
        })),
    }));

    res.render('member-offers', {
      title: req.tr('memberArea.offers.title'),
      groups: groups.filter((group) => group.offers.length > 0),
      empty: nearby.length === 0,
      categories: OFFER_CATEGORIES.map((code) => ({
        code,
        label: req.tr(`memberArea.categories.${code}`),
        selected: code === category,
      })),
    });
  };
}

const voucherFormSchema = z.object({
  offerId: z.coerce.number().int().positive(),
  holder: z.string().max(20).default('member'),
});

function getVoucher(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = voucherFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new AppError(400, 'bad_request');
    }

    const member = await signedInMember(ctx, req);
    const holder = await holderOf(ctx.db, member, parsed.data.holder);
    try {
      const issued = await issueVoucher(ctx, {
        memberNumber: member.number,
        offerId: parsed.data.offerId,
        dependantId: holder.dependant?.id,
      });
      res.redirect(303, `/member/vouchers?issued=${encodeURIComponent(issued.voucher.id)}`);
    } catch (error) {
      // CASE: a refusal the member can understand (limit reached, offer closed...): say why.
      if (error instanceof AppError && error.status === 409) {
        res.status(409).render('member-refused', {
          title: req.tr('memberArea.vouchers.refusedTitle'),
          message: req.tr(error.messageKey),
        });

        return;
      }
      throw error;
    }
  };
}

async function voucherRows(ctx: Context, member: MemberRow) {
  const rows = await memberVouchers(ctx.db, member.id);
  const offerIds = [...new Set(rows.map((row) => row.offer_id))];
  const offers = await ctx
    .db('offers as o')
    .join('partners as p', 'p.id', 'o.partner_id')
    .whereIn('o.id', offerIds)
    .select('o.id', 'o.title_fr', 'o.title_ar', 'p.display_name', 'p.display_name_ar');

  return { rows, offers: new Map(offers.map((offer) => [offer.id, offer])) };
}

function vouchers(ctx: Context) {
  return async (req: Request, res: Response) => {
    const member = await signedInMember(ctx, req);
    const holders = new Map(
      (await cardHolders(ctx.db, member)).map((holder) => [holder.holderKey, holder]),
    );
    const { rows, offers } = await voucherRows(ctx, member);
    const today = businessDate(new Date());
    const list = rows.map((voucher) => {
      const offer = offers.get(voucher.offer_id);
      const holder = holders.get(voucher.holder_key);
      const status = voucherStatus(voucher, today);

      return {
        id: voucher.id,
        code: formatVoucherCode(voucher.code),
        offer: req.lang === 'ar' ? offer.title_ar : offer.title_fr,
        partner:
          req.lang === 'ar' && offer.display_name_ar ? offer.display_name_ar : offer.display_name,
        holder: holder ? (req.lang === 'ar' && holder.nameAr ? holder.nameAr : holder.name) : '',
        status: req.tr(`memberArea.vouchers.status.${status}`),
        statusCode: status,
        usable: status === 'issued',
        usesLeft: voucher.max_uses - voucher.uses,
        validUntil: formatDate(voucher.expires_on, req.lang),
        issued: req.query.issued === voucher.id,
      };
    });

    res.render('member-vouchers', { title: req.tr('memberArea.vouchers.title'), vouchers: list });
  };
}

function downloadVoucher(ctx: Context, i18n: i18n) {
  return async (req: Request, res: Response) => {
    const format = String(req.params.format);
    if (format !== 'png' && format !== 'pdf') {
      throw new AppError(404, 'not_found');
    }

    const member = await signedInMember(ctx, req);
    const voucher = await ctx
      .db<VoucherRow>('vouchers')
      .where({ id: String(req.params.id), member_id: member.id })
      .first();
    if (!voucher) {
      throw new AppError(404, 'not_found');
    }

    const holder = (await cardHolders(ctx.db, member)).find(
      (candidate) => candidate.holderKey === voucher.holder_key,
    )!;
    const offer = await ctx
      .db('offers as o')
      .join('partners as p', 'p.id', 'o.partner_id')
      .where('o.id', voucher.offer_id)
      .first('o.title_fr', 'o.title_ar', 'p.display_name');
    const t = { fr: i18n.getFixedT('fr'), ar: i18n.getFixedT('ar') };
    const both = (key: string) => ({ fr: t.fr(key), ar: t.ar(key) });
    const sheet: VoucherSheet = {
      qrText: await voucherUrl(ctx, voucher, holder.name),
      code: formatVoucherCode(voucher.code),
      holder: { latin: holder.name, arabic: holder.nameAr },
      offer: { fr: offer.title_fr, ar: offer.title_ar },
      partner: offer.display_name,
      validUntil: { fr: formatDate(voucher.expires_on, 'fr'), ar: formatDate(voucher.expires_on, 'ar') },
      labels: {
        club: both('app.club'),
        heading: both('credentials.voucher.heading'),
        code: both('credentials.voucher.code'),
        validUntil: both('credentials.voucher.validUntil'),
      },
    };
    const filename = `bon-${sheet.code}.${format}`;
    const { voucherPdf, voucherPng } =
      require('../vouchers/documents') as typeof import('../vouchers/documents');
    const body = format === 'png' ? voucherPng(sheet) : await voucherPdf(sheet);
    res
      .type(format === 'png' ? 'image/png' : 'application/pdf')
      .attachment(filename)
      .send(body);
  };
}

function history(ctx: Context) {
  return async (req: Request, res: Response) => {
    const member = await signedInMember(ctx, req);
    const { entries, savedCents } = await memberHistory(ctx.db, member.id);

    res.render('member-history', {
      title: req.tr('memberArea.history.title'),
      saved: formatMoney(savedCents, req.lang),
      entries: entries.map((entry) => ({
        date: formatDateTime(entry.occurredAt, req.lang),
        partner: req.lang === 'ar' && entry.partnerNameAr ? entry.partnerNameAr : entry.partnerName,
        offer: req.lang === 'ar' ? entry.offerTitleAr : entry.offerTitleFr,
        holder: entry.holderName,
        gross: formatMoney(entry.grossCents, req.lang),
        discount: formatMoney(entry.discountCents, req.lang),
        voided: entry.voided,
      })),
    });
  };
}
