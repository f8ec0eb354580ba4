import { CompactSign } from 'jose';

import { Context } from '../context';
import { Queryable } from '../db';
import { forgetHolder } from '../redemptions/holder-cache';
import { AppError } from '../errors';
import { endOfBusinessDay } from '../time';
import { SIGNING_ALG } from './keys';
import { CredentialKind } from './tokens';

/** Why an admin revokes a card or voucher; `replaced` is set when a new card is issued. */
export const REVOCATION_REASONS = ['lost', 'stolen', 'fraud', 'left_club', 'issued_in_error'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number] | 'replaced';

/** The `typ` header of the signed revocation list: it can never pass for a card or voucher. */
export const REVOCATION_LIST_TYPE = 'nadipass-revocations';

/** Entries per page of the revocation list, by default and at most. */
export const REVOCATION_PAGE_SIZE = 500;
export const REVOCATION_PAGE_MAX = 1000;

/**
 * Appends a revoked card or voucher to the revocation list offline verifiers read.
 *
 * The list is read incrementally by sequence number, so numbers must become visible in order: a
 * transaction-level lock makes revocations commit one after the other (they are rare), and a
 * reader who saw number n can never later find a smaller one appear.
 */
export async function recordRevocation(
  tx: Queryable,
  entry: { tokenId: string; kind: CredentialKind; reason: RevocationReason; expiresAt: Date; now: Date },
): Promise<void> {
  await tx.raw('select pg_advisory_xact_lock(hashtext(?))', ['nadipass:revocations']);
  await tx('revocations').insert({
    token_id: entry.tokenId,
    kind: entry.kind,
    reason: entry.reason,
    revoked_at: entry.now,
    token_expires_at: entry.expiresAt,
  });
}

/** The outcome of a revocation: `false` when it had already been revoked (nothing changes). */
export interface RevocationOutcome {
  revoked: boolean;
  kind: CredentialKind;
  tokenId: string;
}

/**
 * Revokes one card: it is refused with `revoked` from now on, online at once and offline as soon
 * as verifiers fetch the list. Revoking a dependant's card leaves the other cards of the
 * membership untouched.
 */
export async function revokeCard(
  ctx: Context,
  input: { cardId: string; reason: RevocationReason; now?: Date },
): Promise<RevocationOutcome> {
  const now = input.now ?? new Date();
  let memberId: number | null = null;
  const outcome = await ctx.db.transaction(async (tx): Promise<RevocationOutcome> => {
    const card = await tx('cards').where({ id: input.cardId }).forUpdate().first();
    if (!card) {
      throw new AppError(404, 'card_not_found', 'credentials.errors.card_not_found');
    }
    if (card.revoked_at) {
      return { revoked: false, kind: 'card', tokenId: card.id };
    }

    await tx('cards').where({ id: card.id }).update({ revoked_at: now, revoked_reason: input.reason });
    memberId = card.member_id;
    await recordRevocation(tx, {
      tokenId: card.id,
      kind: 'card',
      reason: input.reason,
      expiresAt: card.expires_at,
      now,
    });

    return { revoked: true, kind: 'card', tokenId: card.id };
  });
  if (memberId !== null) {
    forgetHolder(ctx.db, memberId);
  }

  return outcome;
}

/** Revokes (cancels) one voucher, by its token id; a used voucher can still be revoked. */
export async function revokeVoucher(
  ctx: Context,
  input: { voucherId: string; reason: RevocationReason; now?: Date },
): Promise<RevocationOutcome> {
  const now = input.now ?? new Date();
  let memberId: number | null = null;
  const outcome = await ctx.db.transaction(async (tx): Promise<RevocationOutcome> => {
    const voucher = await tx('vouchers').where({ id: input.voucherId }).forUpdate().first();
    if (!voucher) {
      throw new AppError(404, 'voucher_not_found', 'credentials.errors.voucher_not_found');
    }
    if (voucher.cancelled_at) {
      return { revoked: false, kind: 'voucher', tokenId: voucher.id };
    }

    await tx('vouchers')
      .where({ id: voucher.id })
      .update({ cancelled_at: now, cancel_reason: input.reason });
    memberId = voucher.member_id;
    await recordRevocation(tx, {
      tokenId: voucher.id,
      kind: 'voucher',
      reason: input.reason,
      expiresAt: endOfBusinessDay(voucher.expires_on),
      now,
    });

    return { revoked: true, kind: 'voucher', tokenId: voucher.id };
  });
  if (memberId !== null) {
    forgetHolder(ctx.db, memberId);
  }

  return outcome;
}

/** One entry of the revocation list; times in seconds since the epoch, like a token's `exp`. */
export interface RevocationEntry {
  id: string;
  kind: CredentialKind;
  revokedAt: number;
  expiresAt: number;
}

/** One page of the revocation list, as signed. */
export interface RevocationPage {
  v: 1;
  /** The cursor this page was asked for. */
  since: number;
  /** Where the next request starts (`?since=` it); equal to `since` when nothing is new. */
  cursor: number;
  /** Whether more entries wait after `cursor`: ask again at once. */
  more: boolean;
  iat: number;
  entries: RevocationEntry[];
}

const seconds = (date: Date) => Math.floor(new Date(date).getTime() / 1000);

/**
 * The revocations after `since`, oldest first, leaving out cards and vouchers that have expired
 * anyway (an offline verifier refuses those by their `exp`).
 */
export async function revocationPage(
  db: Queryable,
  input: { since: number; limit?: number; now?: Date },
): Promise<RevocationPage> {
  const now = input.now ?? new Date();
  const limit = Math.min(input.limit ?? REVOCATION_PAGE_SIZE, REVOCATION_PAGE_MAX);

  return db.transaction(
    async (tx) => {
      const rows = await tx('revocations')
        .where('seq', '>', input.since)
        .andWhere('token_expires_at', '>', now)
        .orderBy('seq')
        .limit(limit + 1)
        .select('seq', 'token_id', 'kind', 'revoked_at', 'token_expires_at');
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      // CASE: when nothing more is due, the cursor jumps over the expired entries at the end too,
      // so the next request does not read them again.
      const last = more
        ? page[page.length - 1].seq
        : Number((await tx('revocations').max('seq as seq').first())?.seq ?? 0);

      return {
        v: 1 as const,
        since: input.since,
        cursor: Math.max(input.since, last),
        more,
        iat: seconds(now),
        entries: page.map((row) => ({
          id: row.token_id,
          kind: row.kind,
          revokedAt: seconds(row.revoked_at),
          expiresAt: seconds(row.token_expires_at),
        })),
      };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

/** The revocation page as a compact JWS signed by the active key (header: alg, kid, typ). */
export async function signedRevocationPage(
  ctx: Context,
  input: { since: number; limit?: number; now?: Date },
): Promise<string> {
  const page = await revocationPage(ctx.db, input);
  const { kid, key } = ctx.keys.signingKey();

  return new CompactSign(Buffer.from(JSON.stringify(page), 'utf8'))
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: REVOCATION_LIST_TYPE })
    .sign(key);
}

/** A revocation reason from a form or a command line, or a 400 naming the choices. */
export function parseRevocationReason(value: unknown): RevocationReason {
  if (typeof value === 'string' && (REVOCATION_REASONS as readonly string[]).includes(value)) {
    return value as RevocationReason;
  }

  throw new AppError(400, 'revocation_reason', 'credentials.errors.revocation_reason');
}
