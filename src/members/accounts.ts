import crypto from 'node:crypto';

import { hashPassword, verifyPassword } from '../auth/passwords';
import { Queryable } from '../db';
import { AppError } from '../errors';
import { VOUCHER_CODE_ALPHABET } from '../vouchers/repository';
import { findMemberByNumber, MemberRow } from './repository';

/** How long an activation code works after the club generates it. */
export const ACTIVATION_DAYS = 7;
export const MIN_PASSWORD_LENGTH = 8;

// A hash to compare against when the number is unknown, so both paths cost the same time.
const NO_SUCH_MEMBER_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Ten characters without look-alikes, read out over the phone as two groups of five. */
function newActivationCode(): string {
  const chars = [...crypto.randomBytes(10)].map(
    (byte) => VOUCHER_CODE_ALPHABET[byte % VOUCHER_CODE_ALPHABET.length],
  );

  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * Gives a member a one-time activation code to set their password, valid ACTIVATION_DAYS. It
 * also serves as the club's password reset: the current password stops working at once.
 * Returns the code, which is shown once; only its hash is kept.
 */
export async function createActivationCode(
  db: Queryable,
  memberNumber: string,
  now: Date = new Date(),
): Promise<{ code: string; expiresAt: Date; member: MemberRow }> {
  const member = await findMemberByNumber(db, memberNumber.trim());
  if (!member) {
    throw new AppError(404, 'member_not_found');
  }

  const code = newActivationCode();
  const expiresAt = new Date(now.getTime() + ACTIVATION_DAYS * 86_400_000);
  await db('members')
    .where({ id: member.id })
    .update({
      activation_code_hash: await hashPassword(normaliseCode(code)),
      activation_expires_at: expiresAt,
      password_hash: null,
      updated_at: now,
    });

  return { code, expiresAt, member };
}

/**
 * Sets a member's password with their activation code, which then stops working. Every wrong
 * input gets the same answer, so the form reveals nothing about which part was wrong.
 */
export async function activateMember(
  db: Queryable,
  input: { number: string; code: string; password: string; now?: Date },
): Promise<MemberRow> {
  const now = input.now ?? new Date();
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(422, 'password_too_short', 'memberArea.errors.passwordTooShort', {
      min: MIN_PASSWORD_LENGTH,
    });
  }

  const member = await findMemberByNumber(db, input.number.trim());
  const row = member
    ? await db('members')
        .where({ id: member.id })
        .first('activation_code_hash', 'activation_expires_at')
    : undefined;
  const matches = await verifyPassword(
    normaliseCode(input.code),
    row?.activation_code_hash ?? NO_SUCH_MEMBER_HASH,
  );
  const current = row?.activation_expires_at && new Date(row.activation_expires_at) > now;
  if (!member || !matches || !current) {
    throw new AppError(422, 'activation_failed', 'memberArea.errors.activationFailed');
  }

  // The code is spent in the same statement that sets the password: used once, even if sent twice.
  const updated = await db('members')
    .where({ id: member.id, activation_code_hash: row.activation_code_hash })
    .update({
      password_hash: await hashPassword(input.password),
      activation_code_hash: null,
      activation_expires_at: null,
      updated_at: now,
    });
  if (updated === 0) {
    throw new AppError(422, 'activation_failed', 'memberArea.errors.activationFailed');
  }

  return member;
}

/** The member behind a membership number and password, or null. */
export async function authenticateMember(
  db: Queryable,
  number: string,
  password: string,
): Promise<MemberRow | null> {
  const member = await findMemberByNumber(db, number.trim());
  const row = member
    ? await db('members').where({ id: member.id }).first('password_hash')
    : undefined;
  const ok = await verifyPassword(password, row?.password_hash ?? NO_SUCH_MEMBER_HASH);

  return member && ok ? member : null;
}
