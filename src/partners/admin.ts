import { changedFields, recordAudit } from '../audit/log';
import { hashPassword } from '../auth/passwords';
import { Db } from '../db';
import { AppError, notFound } from '../errors';
import type { Actor } from '../members/admin';
import type { OfferRow } from '../offers/repository';
import type { PartnerRow } from './service';

export type PartnerFields = Omit<PartnerRow, 'id'>;

/** Partners with their region and the end of their current agreement, for the club's list. */
export function listPartners(db: Db, today: string) {
  return db('partners as p')
    .join('provinces as v', 'v.code', 'p.province_code')
    .select(
      'p.*', 'v.region_code', 'v.name_fr as province_name_fr', 'v.name_ar as province_name_ar',
      db.raw(
        `(select max(a.ends_on) from agreements a where a.partner_id = p.id
           and a.starts_on <= ?::date and a.ends_on >= ?::date) as agreement_ends_on`,
        [today, today],
      ),
    )
    .orderBy(['v.region_code', 'p.display_name']);
}

async function uniqueViolation<T>(work: () => Promise<T>, code: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError(409, code);
    }
    throw error;
  }
}

/** Creates a partner; its code is unique. */
export async function createPartner(db: Db, fields: PartnerFields, by: Actor): Promise<number> {
  return uniqueViolation(
    () =>
      db.transaction(async (tx) => {
        const [row] = await tx('partners').insert(fields).returning('id');
        await recordAudit(tx, {
          actor: by.actor, action: 'create', entity: 'partner', entityId: row.id, after: fields, at: by.now,
        });

        return row.id as number;
      }),
    'partner_code_taken',
  );
}

/** Changes a partner's details or status, logging only what changed. */
export async function updatePartner(db: Db, id: number, fields: Partial<PartnerFields>, by: Actor) {
  await uniqueViolation(
    () =>
      db.transaction(async (tx) => {
        const before = await tx('partners').where({ id }).forUpdate().first();
        if (!before) {
          throw notFound();
        }
        const change = changedFields(before, fields);
        if (!change) {
          return;
        }
        await tx('partners').where({ id }).update({ ...change.after, updated_at: by.now });
        await recordAudit(tx, {
          actor: by.actor, action: 'update', entity: 'partner', entityId: id, ...change, at: by.now,
        });
      }),
    'partner_code_taken',
  );
}

/** Records a signed agreement (convention); without a current one a partner cannot redeem. */
export async function addAgreement(
  db: Db,
  partnerId: number,
  agreement: { reference: string; startsOn: string; endsOn: string },
  by: Actor,
) {
  if (agreement.startsOn > agreement.endsOn) {
    throw new AppError(422, 'agreement_dates');
  }
  await uniqueViolation(
    () =>
      db.transaction(async (tx) => {
        const [row] = await tx('agreements')
          .insert({
            partner_id: partnerId,
            reference: agreement.reference,
            starts_on: agreement.startsOn,
            ends_on: agreement.endsOn,
          })
          .returning('id');
        await recordAudit(tx, {
          actor: by.actor, action: 'create', entity: 'agreement', entityId: row.id,
          after: { partner_id: partnerId, ...agreement }, at: by.now,
        });
      }),
    'agreement_reference_taken',
  );
}

/** Creates a portal login for a partner's staff or manager (the password is never logged). */
export async function addPartnerUser(
  db: Db,
  partnerId: number,
  user: { email: string; name: string | null; role: 'staff' | 'manager'; password: string },
  by: Actor,
) {
  const passwordHash = await hashPassword(user.password);
  await uniqueViolation(
    () =>
      db.transaction(async (tx) => {
        const [row] = await tx('partner_users')
          .insert({
            partner_id: partnerId, email: user.email, name: user.name, role: user.role,
            password_hash: passwordHash,
          })
          .returning('id');
        await recordAudit(tx, {
          actor: by.actor, action: 'create', entity: 'partner_user', entityId: row.id,
          after: { partner_id: partnerId, email: user.email, name: user.name, role: user.role },
          at: by.now,
        });
      }),
    'email_taken',
  );
}

/** Disables or re-enables a partner login. */
export async function setPartnerUserDisabled(
  db: Db,
  partnerId: number,
  userId: number,
  disabled: boolean,
  by: Actor,
) {
  await db.transaction(async (tx) => {
    const before = await tx('partner_users').where({ id: userId, partner_id: partnerId }).forUpdate().first();
    if (!before) {
      throw notFound();
    }
    const after = disabled ? before.disabled_at ?? by.now : null;
    await tx('partner_users').where({ id: userId }).update({ disabled_at: after });
    await recordAudit(tx, {
      actor: by.actor, action: disabled ? 'disable' : 'enable', entity: 'partner_user', entityId: userId,
      before: { disabled_at: before.disabled_at }, after: { disabled_at: after }, at: by.now,
    });
  });
}

/** An offer as the admin publishes it; counters, uses and status start at their defaults. */
export type NewOffer = Omit<
  OfferRow,
  'id' | 'partner_id' | 'voucher_uses' | 'voucher_valid_days' | 'redeemed_count' | 'status'
>;

/** Publishes an offer of a partner. */
export async function addOffer(db: Db, partnerId: number, offer: NewOffer, by: Actor): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx('offers').insert({ ...offer, partner_id: partnerId }).returning('id');
    await recordAudit(tx, {
      actor: by.actor, action: 'create', entity: 'offer', entityId: row.id,
      after: { partner_id: partnerId, ...offer }, at: by.now,
    });

    return row.id as number;
  });
}

/** Withdraws an offer (or puts it back): it stops being offered at counters at once. */
export async function setOfferStatus(
  db: Db,
  partnerId: number,
  offerId: number,
  status: 'active' | 'withdrawn',
  by: Actor,
) {
  await db.transaction(async (tx) => {
    const before = await tx('offers').where({ id: offerId, partner_id: partnerId }).forUpdate().first();
    if (!before) {
      throw notFound();
    }
    if (before.status === status) {
      return;
    }
    await tx('offers').where({ id: offerId }).update({ status, updated_at: by.now });
    await recordAudit(tx, {
      actor: by.actor, action: 'update', entity: 'offer', entityId: offerId,
      before: { status: before.status }, after: { status }, at: by.now,
    });
  });
}
