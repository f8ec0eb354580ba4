import type { Request, Response } from 'express';
import { z } from 'zod';

import { hashPassword } from '../auth/passwords';
import { Context } from '../context';
import { Queryable } from '../db';
import { AppError } from '../errors';
import { formatDateTime } from '../time';
import { partnerUser } from '../web/auth';

/** Shortest password a manager may give a colleague. */
export const MIN_PASSWORD_LENGTH = 10;

const newStaffSchema = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().email().max(254),
  role: z.enum(['staff', 'manager']),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(200),
});

const passwordSchema = z.object({ password: z.string().min(MIN_PASSWORD_LENGTH).max(200) });

interface StaffPageState {
  status?: number;
  error?: string;
  notice?: string;
  form?: Record<string, string>;
}

async function renderStaff(ctx: Context, req: Request, res: Response, state: StaffPageState = {}) {
  const me = partnerUser(req);
  const rows = await ctx.db('partner_users')
    .where({ partner_id: me.partnerId })
    .orderBy([{ column: 'disabled_at', order: 'desc' }, 'name', 'email'])
    .select('id', 'name', 'email', 'role', 'disabled_at', 'created_at');

  res.status(state.status ?? 200).render('staff', {
    title: req.tr('counter.staff.title'),
    navCurrent: 'staff',
    error: state.error,
    notice: state.notice,
    form: state.form ?? { role: 'staff' },
    minLength: MIN_PASSWORD_LENGTH,
    staff: rows.map((row) => ({
      id: Number(row.id),
      name: row.name ?? row.email,
      email: row.email,
      role: req.tr(`counter.staff.role.${row.role}`),
      disabled: row.disabled_at ? formatDateTime(new Date(row.disabled_at), req.lang) : null,
      isMe: Number(row.id) === me.id,
    })),
  });
}

/** The partner's staff accounts, for a manager. */
export function listStaff(ctx: Context) {
  return (req: Request, res: Response) => renderStaff(ctx, req, res, { notice: noticeOf(req) });
}

const NOTICES = ['created', 'disabled', 'enabled', 'password'] as const;

function noticeOf(req: Request): string | undefined {
  const done = String(req.query.done ?? '');

  return (NOTICES as readonly string[]).includes(done) ? req.tr(`counter.staff.done.${done}`) : undefined;
}

/** Creates a staff or manager login for the manager's own partner. */
export function createStaff(ctx: Context) {
  return async (req: Request, res: Response) => {
    const me = partnerUser(req);
    const parsed = newStaffSchema.safeParse(req.body);
    const form = { name: String(req.body?.name ?? ''), email: String(req.body?.email ?? ''), role: String(req.body?.role ?? 'staff') };
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'name');
      await renderStaff(ctx, req, res, { status: 422, error: req.tr(`counter.staff.invalid.${field}`, { min: MIN_PASSWORD_LENGTH }), form });

      return;
    }

    const taken = await ctx.db('partner_users').where({ email: parsed.data.email }).first('id');
    if (taken) {
      await renderStaff(ctx, req, res, { status: 409, error: req.tr('counter.staff.invalid.taken'), form });

      return;
    }

    await ctx.db('partner_users').insert({
      partner_id: me.partnerId,
      name: parsed.data.name,
      email: parsed.data.email,
      role: parsed.data.role,
      password_hash: await hashPassword(parsed.data.password),
    });
    res.redirect(303, '/portal/staff?done=created');
  };
}

/** A colleague of the signed-in manager, never someone of another partner. */
async function colleague(ctx: Context, req: Request) {
  const me = partnerUser(req);
  const id = Number(req.params.id);
  const row = Number.isSafeInteger(id)
    ? await ctx.db('partner_users').where({ id, partner_id: me.partnerId }).first()
    : undefined;
  if (!row) {
    throw new AppError(404, 'not_found');
  }

  return row;
}

/** Signs a user out everywhere: their sessions are deleted from the shared session store. */
async function endSessions(db: Queryable, partnerUserId: number): Promise<void> {
  await db('session')
    .whereRaw(`sess->'user'->>'kind' = 'partner'`)
    .whereRaw(`(sess->'user'->>'id')::bigint = ?`, [partnerUserId])
    .delete();
}

/** Disables or enables a colleague's login; disabling signs them out at once. */
export function setStaffDisabled(ctx: Context, disabled: boolean) {
  return async (req: Request, res: Response) => {
    const row = await colleague(ctx, req);
    if (disabled && Number(row.id) === partnerUser(req).id) {
      await renderStaff(ctx, req, res, { status: 422, error: req.tr('counter.staff.invalid.self') });

      return;
    }

    await ctx.db.transaction(async (tx) => {
      await tx('partner_users')
        .where({ id: row.id })
        .update({ disabled_at: disabled ? tx.fn.now() : null, updated_at: tx.fn.now() });
      if (disabled) {
        await endSessions(tx, Number(row.id));
      }
    });
    res.redirect(303, `/portal/staff?done=${disabled ? 'disabled' : 'enabled'}`);
  };
}

/** Sets a new password for a colleague, who is signed out everywhere. */
export function resetStaffPassword(ctx: Context) {
  return async (req: Request, res: Response) => {
    const row = await colleague(ctx, req);
    const parsed = passwordSchema.safeParse(req.body);
    if (!parsed.success) {
      await renderStaff(ctx, req, res, { status: 422, error: req.tr('counter.staff.invalid.password', { min: MIN_PASSWORD_LENGTH }) });

      return;
    }

    const hash = await hashPassword(parsed.data.password);
    await ctx.db.transaction(async (tx) => {
      await tx('partner_users').where({ id: row.id }).update({ password_hash: hash, updated_at: tx.fn.now() });
      if (Number(row.id) !== partnerUser(req).id) {
        await endSessions(tx, Number(row.id));
      }
    });
    res.redirect(303, '/portal/staff?done=password');
  };
}
