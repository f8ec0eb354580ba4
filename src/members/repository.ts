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

/**
 * SQL for the member row `m` and the dependant row `d` as JSON objects of exactly the fields of
 * MemberRow and DependantRow (`d` may be null), for reads that fetch a credential with its holder
 * in one statement.
 */
export const MEMBER_JSON = `json_build_object(
  'id', m.id, 'number', m.number, 'cin', m.cin, 'first_name', m.first_name,
  'last_name', m.last_name, 'full_name_ar', m.full_name_ar, 'birth_date', m.birth_date,
  'employer', m.employer, 'work_province_code', m.work_province_code,
  'residence_province_code', m.residence_province_code, 'phone', m.phone, 'email', m.email,
  'status', m.status)`;
export const DEPENDANT_JSON = `case when d.id is null then null else json_build_object(
  'id', d.id, 'member_id', d.member_id, 'relation', d.relation, 'first_name', d.first_name,
  'last_name', d.last_name, 'full_name_ar', d.full_name_ar, 'birth_date', d.birth_date) end`;

export function findMemberByNumber(db: Queryable, number: string): Promise<MemberRow | undefined> {
  return db<MemberRow>('members').where({ number }).first();
}

export function findMemberById(db: Queryable, id: number): Promise<MemberRow | undefined> {
  return db<MemberRow>('members').where({ id }).first();
}

export function findDependant(db: Queryable, id: number): Promise<DependantRow | undefined> {
  return db<DependantRow>('dependants').where({ id }).first();
}

/**
 * SQL for the last day of the paid membership period of the member `memberId` (a column or a
 * `?`) covering a date, bound twice after it; null when no period covers the date. The one
 * statement of the rule, for paidThrough and for reads that take it along with other rows.
 */
export function paidThroughSql(memberId: string): string {
  return `(select max(p.valid_to) from membership_periods p
            where p.member_id = ${memberId} and p.valid_from <= ? and p.valid_to >= ?)`;
}

/** The last day of the paid membership period covering `date`, or null when none covers it. */
export async function paidThrough(
  db: Queryable,
  memberId: number,
  date: string,
): Promise<string | null> {
  const { rows } = await db.raw(`select ${paidThroughSql('?')} as paid_through`, [
    memberId,
    date,
    date,
  ]);

  return rows[0].paid_through ?? null;
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
): Promise<Standing> {
  return standingOf(member, await paidThrough(db, member.id, date));
}

export interface Standing {
  inGoodStanding: boolean;
  /** The last day of the paid period covering the date, or null when none covers it. */
  validUntil: string | null;
}

/** The standing of a member whose paid period covering a date ends on `paidUntil` (or none). */
export function standingOf(member: MemberRow, paidUntil: string | null): Standing {
  return {
    inGoodStanding: member.status === 'active' && paidUntil !== null,
    validUntil: paidUntil,
  };
}

export function fullName(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`;
}
