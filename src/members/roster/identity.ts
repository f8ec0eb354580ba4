import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

import { toWesternDigits } from './text';

// Moroccan CIN/CNIE: one or two letters (the issuing city's prefix) then up to six digits.
const CIN_PATTERN = /^[A-Z]{1,2}\d{1,6}$/;

/**
 * Normalises a CIN as typed: no spaces or hyphens, upper case, Western digits. Returns `null`
 * when it does not have the shape of a CIN.
 */
export function normaliseCin(text: string): string | null {
  const cin = toWesternDigits(text).replace(/[\s-]+/gu, '').toUpperCase();

  return CIN_PATTERN.test(cin) ? cin : null;
}

/**
 * Reads a phone number in any form Moroccans write one (06…, +212…, 00212…, 212…, with spaces,
 * dots or Eastern Arabic digits) and returns it in E.164, or `null` when it is not a valid number.
 * The "max" metadata checks number ranges, not just lengths, so `0812345678` is refused.
 */
export function normalisePhone(text: string): string | null {
  const phone = parsePhoneNumberFromString(toWesternDigits(text), 'MA');

  return phone?.isValid() ? phone.number : null;
}

// The shape card look-ups accept (`/admin/cards?member=`): letters, digits and hyphens, up to 20
// characters, e.g. `100001` or `A-0001`. It must start with a letter or a digit, so that a value
// such as `=cmd|calc` or `-2+3` never reaches a spreadsheet export where it would run as a formula.
const MEMBERSHIP_NUMBER_PATTERN = /^[0-9A-Za-z][0-9A-Za-z-]{0,19}$/;

/**
 * Normalises a membership number as typed: trimmed, Western digits. Returns `null` when it does
 * not have the shape of a membership number.
 */
export function normaliseMembershipNumber(text: string): string | null {
  const number = toWesternDigits(text).trim();

  return MEMBERSHIP_NUMBER_PATTERN.test(number) ? number : null;
}

const EMAIL = z.email();

/** Lower-cases an e-mail address and returns it, or `null` when it is not one. */
export function normaliseEmail(text: string): string | null {
  const email = text.trim().toLowerCase();

  return EMAIL.safeParse(email).success ? email : null;
}
