import crypto from 'node:crypto';

import { Queryable } from '../db';

export interface VoucherRow {
  id: string;
  code: string;
  offer_id: number;
  member_id: number;
  dependant_id: number | null;
  holder_key: string;
  kid: string;
  max_uses: number;
  uses: number;
  expires_on: string;
  issued_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  expired_at: Date | null;
  /** The signed token as issued; null for vouchers stored before tokens were kept. */
  token: string | null;
}

/** Voucher code alphabet: no 0/O, 1/I/L, 5/S, 2/Z or 8/B, which people misread or mistype. */
export const VOUCHER_CODE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
export const VOUCHER_CODE_LENGTH = 8;

/** A new random voucher code, e.g. `K7XD-93FA` (8 characters, ~37 bits). */
export function newVoucherCode(): string {
  const bytes = crypto.randomBytes(VOUCHER_CODE_LENGTH);
  const chars = [...bytes].map((byte) => VOUCHER_CODE_ALPHABET[byte % VOUCHER_CODE_ALPHABET.length]);

  return chars.join('');
}

/** Shows a code in two groups of four, the way it is printed. */
export function formatVoucherCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The canonical voucher code in typed text (case, spaces and dashes forgiven), or null when the
 * text is not a voucher code.
 */
export function normaliseVoucherCode(text: string): string | null {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  const pattern = new RegExp(`^[${VOUCHER_CODE_ALPHABET}]{${VOUCHER_CODE_LENGTH}}$`);

  return pattern.test(compact) ? compact : null;
}

export function findVoucherByCode(db: Queryable, code: string): Promise<VoucherRow | undefined> {
  return db<VoucherRow>('vouchers').where({ code }).first();
}
