import { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import { actorOf, regionScope, requireAdmin } from '../admin/access';
import { Context } from '../context';
import { AppError } from '../errors';
import { businessDate, formatDate, isIsoDate } from '../time';
import { clubUser, requireClubUser } from '../web/auth';
import {
  addDependant,
  addMembershipPeriod,
  loadMemberInScope,
  maskCin,
  MemberListRow,
  searchMembers,
  setMemberStatus,
} from './admin';
import { dropInvisible } from './roster/text';

/** The club's member pages: search and read for coordinators (their regions), changes for admins. */
export function memberAdminRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin/members', requireClubUser, listMembers(ctx));
  router.get('/admin/members/:id', requireClubUser, showMember(ctx));
  router.post('/admin/members/:id/status', requireClubUser, requireAdmin, changeStatus(ctx));
  router.post('/admin/members/:id/periods', requireClubUser, requireAdmin, renew(ctx));
  router.post('/admin/members/:id/dependants', requireClubUser, requireAdmin, newDependant(ctx));

  return router;
}

const PAGE_SIZE = 50;

function memberId(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new AppError(404, 'not_found');
  }

  return id;
}

function presentMember(member: MemberListRow, lang: string) {
  return {
    id: member.id,
    number: member.number,
    name: `${member.first_name} ${member.last_name}`,
    nameAr: member.full_name_ar,
    cin: maskCin(member.cin),
    phone: member.phone,
    email: member.email,
    employer: member.employer,
    province: lang === 'ar' ? member.province_name_ar : member.province_name_fr,
    status: member.status,
    paidUntil: member.paid_until ? formatDate(member.paid_until, lang) : null,
  };
}

function listMembers(ctx: Context) {
  return async (req: Request, res: Response) => {
    const text = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    const rows = await searchMembers(ctx.db, { text, scope: regionScope(req), limit: PAGE_SIZE });
    res.render('admin-members', {
      title: req.tr('adminMembers.title'),
      q: text,
      members: rows.map((row) => presentMember(row, req.lang)),
      limited: rows.length === PAGE_SIZE,
      isAdmin: clubUser(req).role === 'admin',
    });
  };
}

async function renderMember(ctx: Context, req: Request, res: Response, extra: Record<string, unknown> = {}) {
  const member = await loadMemberInScope(ctx.db, memberId(req), regionScope(req));
  const [periods, dependants] = await Promise.all([
    ctx.db('membership_periods').where({ member_id: member.id }).orderBy('valid_from', 'desc'),
    ctx.db('dependants').where({ member_id: member.id }).orderBy('id'),
  ]);
  const paidUntil = periods.reduce<string | null>(
    (latest, period) => (latest && latest > period.valid_to ? latest : period.valid_to),
    null,
  );
  res.status(extra.error ? 422 : 200).render('admin-member', {
    title: `${member.first_name} ${member.last_name}`,
    member: presentMember({ ...member, paid_until: paidUntil }, req.lang),
    periods: periods.map((period) => ({
      from: formatDate(period.valid_from, req.lang),
      to: formatDate(period.valid_to, req.lang),
    })),
    dependants: dependants.map((dependant) => ({
      name: `${dependant.first_name} ${dependant.last_name}`,
      nameAr: dependant.full_name_ar,
      relation: req.tr(`adminMembers.relation.${dependant.relation}`),
      birthDate: dependant.birth_date ? formatDate(dependant.birth_date, req.lang) : null,
    })),
    suspended: member.status === 'suspended',
    isAdmin: clubUser(req).role === 'admin',
    ...extra,
  });
}

function showMember(ctx: Context) {
  return async (req: Request, res: Response) => {
    await renderMember(ctx, req, res, { saved: req.query.saved === '1' });
  };
}

const statusSchema = z.object({ status: z.enum(['active', 'suspended']) });

function changeStatus(ctx: Context) {
  return async (req: Request, res: Response) => {
    const id = memberId(req);
    const parsed = statusSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError(400, 'bad_request');
    }
    await setMemberStatus(ctx.db, id, parsed.data.status, { actor: actorOf(req), now: new Date() });
    res.redirect(303, `/admin/members/${id}?saved=1`);
  };
}

const periodSchema = z.object({
  validFrom: z.string().refine(isIsoDate),
  validTo: z.string().refine(isIsoDate),
});

function renew(ctx: Context) {
  return async (req: Request, res: Response) => {
    const id = memberId(req);
    const parsed = periodSchema.safeParse(req.body);
    if (!parsed.success || parsed.data.validFrom > parsed.data.validTo) {
      await renderMember(ctx, req, res, { error: req.tr('adminMembers.errors.periodDates') });

      return;
    }
    try {
      await addMembershipPeriod(ctx.db, id, parsed.data, { actor: actorOf(req), now: new Date() });
    } catch (error) {
      if (error instanceof AppError && error.code === 'period_overlap') {
        await renderMember(ctx, req, res, { error: req.tr('adminMembers.errors.periodOverlap') });

        return;
      }
      throw error;
    }
    res.redirect(303, `/admin/members/${id}?saved=1`);
  };
}

// C0 controls and DEL: PostgreSQL refuses NUL, and the others garble cards. Invisible format
// characters (bidi controls, LRM/RLM) are dropped instead, as the roster import does: Arabic
// names pasted from a phone carry them, and the admin could not see what to remove.
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/u;

const nameText = (max: number) =>
  z.string()
    .transform((text) => dropInvisible(text).trim())
    .pipe(z.string().max(max).refine((text) => !CONTROL_CHARACTER.test(text), 'control'));

const dependantSchema = z.object({
  relation: z.enum(['spouse', 'child', 'parent']),
  firstName: nameText(100).pipe(z.string().min(1)),
  lastName: nameText(100).pipe(z.string().min(1)),
  fullNameAr: nameText(200).optional(),
  birthDate: z.union([z.literal(''), z.string().refine(isIsoDate)]).optional(),
});

function newDependant(ctx: Context) {
  return async (req: Request, res: Response) => {
    const id = memberId(req);
    const parsed = dependantSchema.safeParse(req.body);
    if (!parsed.success) {
      const control = parsed.error.issues.some((issue) => issue.message === 'control');
      const key = control ? 'dependantName' : 'dependant';
      await renderMember(ctx, req, res, { error: req.tr(`adminMembers.errors.${key}`) });

      return;
    }
    const today = businessDate(new Date());
    if (parsed.data.birthDate && parsed.data.birthDate > today) {
      const error = req.tr('adminMembers.errors.birthDateFuture');
      await renderMember(ctx, req, res, { error });

      return;
    }
    const input = parsed.data;
    await addDependant(
      ctx.db,
      id,
      {
        relation: input.relation,
        first_name: input.firstName,
        last_name: input.lastName,
        full_name_ar: input.fullNameAr || null,
        birth_date: input.birthDate || null,
      },
      { actor: actorOf(req), now: new Date() },
    );
    res.redirect(303, `/admin/members/${id}?saved=1`);
  };
}
