import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';

import { CARD_FORMATS, CardFormat, cardFile, currentCard } from '../cards/downloads';
import { CardRow, dependantHolderKey, issueCard, memberHolderKey } from '../cards/service';
import { Context } from '../context';
import { AppError } from '../errors';
import { logger } from '../logger';
import { fullName } from '../members/repository';
import { businessDate, formatDate, formatDateTime } from '../time';
import { findVoucherByCode, normaliseVoucherCode } from '../vouchers/repository';
import { clubUser, requireClubUser } from '../web/auth';
import { rotateSigningKey } from './keys';
import { Refusal } from './reasons';
import {
  parseRevocationReason,
  REVOCATION_PAGE_MAX,
  REVOCATION_REASONS,
  revokeCard,
  revokeVoucher,
  signedRevocationPage,
} from './revocation';
import { extractToken, verifyToken } from './tokens';

/** Offline verifiers poll the list every minute or so; a shared cache may hold it that long. */
const REVOCATIONS_CACHE = 'public, max-age=60';

const revocationQuery = z.object({
  since: z.string().regex(/^\d{1,15}$/).default('0').transform(Number),
  limit: z.string().regex(/^\d{1,4}$/).transform(Number).refine((n) => n >= 1 && n <= REVOCATION_PAGE_MAX).optional(),
});

/** The signed, incremental revocation list: public, like the key set it is verified with. */
export function revocationRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/api/v1/revocations', revocationList(ctx));

  return router;
}

function revocationList(ctx: Context) {
  return async (req: Request, res: Response) => {
    const parsed = revocationQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new AppError(400, 'invalid_cursor', 'credentials.errors.invalid_cursor');
    }

    const jws = await signedRevocationPage(ctx, parsed.data);
    res.set('Cache-Control', REVOCATIONS_CACHE).type('application/jose').send(jws);
  };
}

/** Only a club admin manages keys, cards and revocations. */
function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  requireClubUser(req, res, (error?: unknown) => {
    if (error || res.headersSent) {
      next(error);

      return;
    }
    next(clubUser(req).role === 'admin' ? undefined : new AppError(403, 'forbidden'));
  });
}

/** The club admin's pages for keys, cards and revocations. */
export function credentialAdminRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin/keys', requireAdmin, showKeys(ctx));
  router.post('/admin/keys/rotate', requireAdmin, rotateKey(ctx));
  router.get('/admin/cards', requireAdmin, showMemberCards(ctx));
  router.post('/admin/cards/issue', requireAdmin, issueMemberCard(ctx));
  router.post('/admin/cards/:id/revoke', requireAdmin, revokeOneCard(ctx));
  router.get('/admin/cards/:id/card.:format', requireAdmin, downloadCard(ctx));
  router.get('/admin/revocations/new', requireAdmin, showRevokeForm);
  router.post('/admin/revocations', requireAdmin, revokeScanned(ctx));

  return router;
}

function showKeys(ctx: Context) {
  return async (req: Request, res: Response) => {
    const rows = await ctx.db('signing_keys').orderBy('created_at', 'desc').select('*');
    const published = new Set(ctx.keys.publicKeySet().keys.map((key) => key.kid));
    const keys = rows.map((row) => ({
      kid: row.kid,
      active: row.status === 'active',
      status: req.tr(`credentials.keys.status.${row.status}`),
      createdAt: formatDateTime(row.created_at, req.lang),
      verifyUntil: row.verify_until ? formatDateTime(row.verify_until, req.lang) : '',
      published: published.has(row.kid),
    }));
    res.render('credentials-keys', {
      title: req.tr('credentials.keys.title'),
      keys,
      rotated: typeof req.query.rotated === 'string' ? req.query.rotated : null,
    });
  };
}

function rotateKey(ctx: Context) {
  return async (req: Request, res: Response) => {
    const kid = await rotateSigningKey(ctx.db);
    await ctx.keys.reload();
    logger.info({ kid, by: clubUser(req).id }, 'signing key rotated');
    res.redirect(303, `/admin/keys?rotated=${encodeURIComponent(kid)}`);
  };
}

const memberNumber = z.string().trim().regex(/^[0-9A-Za-z-]{1,20}$/);

/** The member's card and each dependant's, with what an admin can do to them. */
function showMemberCards(ctx: Context) {
  return async (req: Request, res: Response) => {
    const number = memberNumber.safeParse(req.query.member ?? '');
    const view: Record<string, unknown> = {
      title: req.tr('credentials.cards.title'),
      member: typeof req.query.member === 'string' ? req.query.member : '',
      reasons: REVOCATION_REASONS.map((code) => ({ code, label: req.tr(`credentials.reason.${code}`) })),
      notice: noticeText(req),
    };
    if (!number.success) {
      res.render('credentials-cards', view);

      return;
    }

    const member = await ctx.db('members').where({ number: number.data }).first();
    if (!member) {
      res.status(404).render('credentials-cards', { ...view, error: req.tr('credentials.errors.member_not_found') });

      return;
    }

    const dependants = await ctx.db('dependants').where({ member_id: member.id }).orderBy('id');
    const holders = [
      { holderKey: memberHolderKey(member.id), person: member, dependantId: '', relation: null },
      ...dependants.map((dependant) => ({
        holderKey: dependantHolderKey(dependant.id),
        person: dependant,
        dependantId: String(dependant.id),
        relation: req.tr(`verdict.relation.${dependant.relation}`, { member: fullName(member) }),
      })),
    ];
    const rows = [];
    for (const holder of holders) {
      const card = await currentCard(ctx, holder.holderKey);
      rows.push({
        name: fullName(holder.person),
        nameAr: holder.person.full_name_ar,
        relation: holder.relation,
        dependantId: holder.dependantId,
        card: card && cardView(card, req),
      });
    }
    res.render('credentials-cards', { ...view, memberNumber: member.number, holders: rows });
  };
}

function cardView(card: CardRow, req: Request) {
  return {
    id: card.id,
    kid: card.kid,
    issuedAt: formatDateTime(card.issued_at, req.lang),
    validUntil: formatDate(businessDate(new Date(card.expires_at.getTime() - 1)), req.lang),
    downloadable: card.token !== null,
  };
}

/** The notice a redirect asked for (`?done=issued|revoked|already_revoked`), translated. */
function noticeText(req: Request): string | null {
  const done = req.query.done;

  return typeof done === 'string' && ['issued', 'revoked', 'already_revoked'].includes(done)
    ? req.tr(`credentials.done.${done}`)
    : null;
}

const issueForm = z.object({
  member: memberNumber,
  dependant: z.union([z.literal(''), z.string().regex(/^\d{1,18}$/)]).optional(),
});

function issueMemberCard(ctx: Context) {
  return async (req: Request, res: Response) => {
    const form = issueForm.safeParse(req.body);
    if (!form.success) {
      throw new AppError(400, 'member_not_found', 'credentials.errors.member_not_found');
    }

    const dependantId = form.data.dependant ? Number(form.data.dependant) : undefined;
    try {
      await issueCard(ctx, { memberNumber: form.data.member, dependantId });
    } catch (error) {
      throw translatedIssueError(error);
    }
    res.redirect(303, `/admin/cards?member=${encodeURIComponent(form.data.member)}&done=issued`);
  };
}

/** The card service's errors, with messages of this area. */
function translatedIssueError(error: unknown): unknown {
  if (error instanceof AppError && ['member_not_found', 'dependant_not_found', 'no_paid_membership'].includes(error.code)) {
    return new AppError(error.status, error.code, `credentials.errors.${error.code}`);
  }

  return error;
}

function revokeOneCard(ctx: Context) {
  return async (req: Request, res: Response) => {
    const reason = parseRevocationReason(req.body?.reason);
    const card = await ctx.db<CardRow>('cards').where({ id: String(req.params.id) }).first();
    if (!card) {
      throw new AppError(404, 'card_not_found', 'credentials.errors.card_not_found');
    }

    const outcome = await revokeCard(ctx, { cardId: card.id, reason });
    logger.info({ card: card.id, reason, by: clubUser(req).id }, 'card revoked');
    const member = await ctx.db('members').where({ id: card.member_id }).first('number');
    const done = outcome.revoked ? 'revoked' : 'already_revoked';
    res.redirect(303, `/admin/cards?member=${encodeURIComponent(member.number)}&done=${done}`);
  };
}

function downloadCard(ctx: Context) {
  return async (req: Request, res: Response) => {
    const format = String(req.params.format);
    if (!(CARD_FORMATS as readonly string[]).includes(format)) {
      throw new AppError(404, 'not_found');
    }

    const card = await ctx.db<CardRow>('cards').where({ id: String(req.params.id) }).first();
    if (!card || card.revoked_at || !card.token) {
      throw new AppError(404, 'card_not_found', 'credentials.errors.card_not_found');
    }

    const file = await cardFile(ctx, card, format as CardFormat, req.trIn);
    res.set('Cache-Control', 'private, no-store');
    res.type(file.contentType).attachment(file.filename).send(file.body);
  };
}

function showRevokeForm(req: Request, res: Response) {
  res.render('credentials-revoke', {
    title: req.tr('credentials.revoke.title'),
    reasons: REVOCATION_REASONS.map((code) => ({ code, label: req.tr(`credentials.reason.${code}`) })),
    notice: noticeText(req),
  });
}

/** The card or voucher that scanned or typed text names, signature checked, time ignored. */
async function scannedCredential(ctx: Context, text: string) {
  const code = normaliseVoucherCode(text);
  if (code) {
    const voucher = await findVoucherByCode(ctx.db, code);

    return voucher ? { kind: 'voucher' as const, id: voucher.id } : null;
  }

  const token = extractToken(text);
  if (!token) {
    return null;
  }
  try {
    const { kind, claims } = await verifyToken(ctx.keys, token, { checkTime: false });

    return { kind, id: claims.jti };
  } catch (error) {
    if (error instanceof Refusal) {
      return null;
    }
    throw error;
  }
}

const revokeForm = z.object({ qr: z.string().max(4096), reason: z.string() });

function revokeScanned(ctx: Context) {
  return async (req: Request, res: Response) => {
    const form = revokeForm.safeParse(req.body);
    const reason = parseRevocationReason(form.success ? form.data.reason : undefined);
    const credential = form.success ? await scannedCredential(ctx, form.data.qr) : null;
    if (!credential) {
      res.status(400).render('credentials-revoke', {
        title: req.tr('credentials.revoke.title'),
        reasons: REVOCATION_REASONS.map((code) => ({ code, label: req.tr(`credentials.reason.${code}`) })),
        error: req.tr('credentials.errors.not_a_credential'),
      });

      return;
    }

    const outcome =
      credential.kind === 'card'
        ? await revokeCard(ctx, { cardId: credential.id, reason })
        : await revokeVoucher(ctx, { voucherId: credential.id, reason });
    logger.info({ ...credential, reason, by: clubUser(req).id }, 'credential revoked');
    res.redirect(303, `/admin/revocations/new?done=${outcome.revoked ? 'revoked' : 'already_revoked'}`);
  };
}
