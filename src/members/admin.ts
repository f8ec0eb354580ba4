import { changedFields, recordAudit } from '../audit/log';
import { Db, Queryable } from '../db';
import { AppError, notFound } from '../errors';
import type { RegionScope } from '../reports/ledger';
import { westernDigits } from '../web/format';
import { DependantRow, MemberRow } from './repository';

/** A member as the club's pages list them, with the region of their province of work. */
export interface MemberListRow extends MemberRow {
  region_code: string;
  province_name_fr: string;
  province_name_ar: string;
  paid_until: string | null;
}

/** A CIN for a page: the first letters and the last two digits, the rest hidden. */
export function maskCin(cin: string): string {
  const letters = /^[A-Z]+/.exec(cin)?.[0] ?? '';

  return `${letters}${'•'.repeat(Math.max(cin.length - letters.length - 2, 0))}${cin.slice(-2)}`;
}

/** A CIN as stored: trimmed, upper case, Western digits, no inner spaces. */
export function normaliseCin(text: string): string {
  return westernDigits(text).replace(/\s+/g, '').toUpperCase();
}

function phoneCandidate(text: string): string | null {
  // NOTE: the phone number library (half a megabyte of metadata) loads on the first search.
  const { parsePhoneNumberFromString } =
    require('libphonenumber-js') as typeof import('libphonenumber-js');
  const phone = parsePhoneNumberFromString(westernDigits(text).replace(/^00/, '+'), 'MA');

  return phone?.isValid() ? phone.number : null;
}

/**
 * Members matching what a clerk types: a name in Latin or Arabic script (any part), a
 * membership number, a CIN or a phone number in any usual form; only in the reader's regions.
 */
export async function searchMembers(
  db: Queryable,
  query: { text: string; scope: RegionScope; limit: number },
): Promise<MemberListRow[]> {
  const text = query.text.trim();
  const builder = db('members as m')
    .join('provinces as v', 'v.code', 'm.work_province_code')
    .select(
      'm.*', 'v.region_code', 'v.name_fr as province_name_fr', 'v.name_ar as province_name_ar',
      db.raw('(select max(p.valid_to) from membership_periods p where p.member_id = m.id) as paid_until'),
    )
    .orderBy(['m.last_name', 'm.first_name', 'm.id'])
    .limit(query.limit);
  if (query.scope) {
    builder.whereIn('v.region_code', query.scope);
  }
  if (text) {
    const phone = phoneCandidate(text);
    const words = text.split(/\s+/).filter(Boolean);
    builder.where((where) => {
      where.where('m.number', westernDigits(text)).orWhere('m.cin', normaliseCin(text));
      if (phone) {
        where.orWhere('m.phone', phone);
      }
      where.orWhere((names) => {
        for (const word of words) {
          const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          names.andWhere((one) =>
            one
              .whereILike('m.first_name', like)
              .orWhereILike('m.last_name', like)
              .orWhereILike('m.full_name_ar', like),
          );
        }
      });
    });
  }

  return builder;
}

/** One member with the region of their work, or a 404 when missing or outside the scope. */
export async function loadMemberInScope(
  db: Queryable,
  id: number,
  scope: RegionScope,
): Promise<MemberListRow> {
  const member: MemberListRow | undefined = await db('members as m')
    .join('provinces as v', 'v.code', 'm.work_province_code')
    .where('m.id', id)
    .first('m.*', 'v.region_code', 'v.name_fr as province_name_fr', 'v.name_ar as province_name_ar');
  if (!member || (scope && !scope.includes(member.region_code))) {
    throw notFound();
  }

  return member;
}

export interface Actor {
  actor: string;
  now: Date;
}

/** Suspends or reactivates a member (a suspended member's cards are refused at the counter). */
export async function setMemberStatus(
  db: Db,
  memberId: number,
  status: MemberRow['status'],
  by: Actor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await tx<MemberRow>('members').where({ id: memberId }).forUpdate().first();
    if (!before) {
      throw notFound();
    }
    if (before.status === status) {
      return;
    }
    await tx('members').where({ id: memberId }).update({ status, updated_at: by.now });
    await recordAudit(tx, {
      actor: by.actor, action: 'update', entity: 'member', entityId: memberId,
      ...changedFields({ status: before.status }, { status }), at: by.now,
    });
  });
}

/** Records a paid membership period (a renewal). Periods may not overlap one another. */
export async function addMembershipPeriod(
  db: Db,
  memberId: number,
  period: { validFrom: string; validTo: string },
  by: Actor,
): Promise<void> {
  if (period.validFrom > period.validTo) {
    throw new AppError(422, 'period_dates');
  }
  await db.transaction(async (tx) => {
    const member = await tx('members').where({ id: memberId }).forUpdate().first('id');
    if (!member) {
      throw notFound();
    }
    const overlap = await tx('membership_periods')
      .where({ member_id: memberId })
      .andWhere('valid_from', '<=', period.validTo)
      .andWhere('valid_to', '>=', period.validFrom)
      .first('id');
    if (overlap) {
      throw new AppError(409, 'period_overlap');
    }
    const [row] = await tx('membership_periods')
      .insert({ member_id: memberId, valid_from: period.validFrom, valid_to: period.validTo })
      .returning('id');
    await recordAudit(tx, {
      actor: by.actor, action: 'renew', entity: 'member', entityId: memberId,
      after: { period_id: row.id, valid_from: period.validFrom, valid_to: period.validTo },
      at: by.now,
    });
  });
}

export type NewDependant = Pick<
  DependantRow,
  'relation' | 'first_name' | 'last_name' | 'full_name_ar' | 'birth_date'
>;

/** Adds a dependant (spouse, child, parent) under a member's membership. */
export async function addDependant(
  db: Db,
  memberId: number,
  dependant: NewDependant,
  by: Actor,
): Promise<number> {
  return db.transaction(async (tx) => {
    const member = await tx('members').where({ id: memberId }).forUpdate().first('id');
    if (!member) {
      throw notFound();
    }
    const [row] = await tx('dependants').insert({ member_id: memberId, ...dependant }).returning('id');
    await recordAudit(tx, {
      actor: by.actor, action: 'create', entity: 'dependant', entityId: row.id,
      after: { member_id: memberId, ...dependant }, at: by.now,
    });

    return row.id as number;
  });
}
