import { Queryable } from '../db';

export interface MemberRow {
  id: number;
  number: string;
  cin: string;
  first_name: string;
  last_name: string;
  full_name_ar: string | null;
  birth_date: string | null;
  employer: string | null;
  work_province_code: string;
  residence_province_code: string | null;
  phone: string | null;
  email: string | null;
  status: 'active' | 'suspended' | 'lapsed' | 'cancelled';
}

export interface DependantRow {
  id: number;
  member_id: number;
  relation: 'spouse' | 'child' | 'parent';
  first_name: string;
  last_name: string;
  full_name_ar: string | null;
  birth_date: string | null;
}

export function findMemberByNumber(db: Queryable, number: string): Promise<MemberRow | undefined> {
  return db<MemberRow>('members').where({ number }).first();
}

export function findMemberById(db: Queryable, id: number): Promise<MemberRow | undefined> {
  return db<MemberRow>('members').where({ id }).first();
}

export function findDependant(db: Queryable, id: number): Promise<DependantRow | undefined> {
  return db<DependantRow>('dependants').where({ id }).first();
}

/** The last day of the paid membership period covering `date`, or null when none covers it. */
export async function paidThrough(
  db: Queryable,
  memberId: number,
  date: string,
): Promise<string | null> {
  const row = await db('membership_periods')
    .where({ member_id: memberId })
    .andWhere('valid_from', '<=', date)
    .andWhere('valid_to', '>=', date)
    .max('valid_to as valid_to')
    .first();

  return row?.valid_to ?? null;
}

/** The last day of the member's latest paid period, whenever it is. */
export async function latestPaidDay(db: Queryable, memberId: number): Promise<string | null> {
  const row = await db('membership_periods')
    .where({ member_id: memberId })
    .max('valid_to as valid_to')
    .first();

  return row?.valid_to ?? null;
}

/** A member is in good standing on `date` when active and a paid period covers that date. */
export async function goodStanding(
  db: Queryable,
  member: MemberRow,
  date: string,
): Promise<{ inGoodStanding: boolean; validUntil: string | null }> {
  const validUntil = await paidThrough(db, member.id, date);

  return { inGoodStanding: member.status === 'active' && validUntil !== null, validUntil };
}

export function fullName(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`;
}
