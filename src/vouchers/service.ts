import moment from 'moment-timezone';

import { dependantHolderKey, memberHolderKey } from '../cards/service';
import { Context } from '../context';
import { signWithActiveKey } from '../credentials/issuing';
import { credentialUrl, newTokenId, signToken } from '../credentials/tokens';
import { Queryable, Tx } from '../db';
import { AppError } from '../errors';
import {
  DependantRow,
  findDependant,
  findMemberByNumber,
  fullName,
  goodStanding,
  MemberRow,
} from '../members/repository';
import {
  findOffer,
  holderPlaces,
  offerOpenOn,
  offerReaches,
  OfferRow,
  takeHolderUse,
} from '../offers/repository';
import { findPartnerById, partnerMayRedeem } from '../partners/service';
import { businessDate, endOfBusinessDay, periodKey } from '../time';
import { newVoucherCode, VoucherRow } from './repository';

export type VoucherStatus = 'issued' | 'used' | 'expired' | 'cancelled';

export interface IssuedVoucher {
  voucher: VoucherRow;
  offer: OfferRow;
  token: string;
  /** The QR text: a URL on the club's public base URL ending in the token. */
  url: string;
}

/** A voucher's status on a business date, derived from its row: nothing is stored twice. */
export function voucherStatus(voucher: VoucherRow, today: string): VoucherStatus {
  if (voucher.cancelled_at) {
    return 'cancelled';
  }
  if (voucher.uses >= voucher.max_uses) {
    return 'used';
  }
  if (voucher.expired_at || voucher.expires_on < today) {
    return 'expired';
  }

  return 'issued';
}

/**
 * The last day a voucher issued today can be used: the offer's voucher validity, cut short by
 * the end of the offer itself.
 */
export function voucherExpiry(offer: OfferRow, today: string): string {
  const byDays = moment
    .utc(today, 'YYYY-MM-DD')
    .add(offer.voucher_valid_days, 'days')
    .format('YYYY-MM-DD');

  return offer.valid_to !== null && offer.valid_to < byDays ? offer.valid_to : byDays;
}

/**
 * The QR text of a voucher: the token signed when it was issued (so every download shows the
 * same QR), or, for a voucher stored without one, a token signed now over the same claims.
 */
export async function voucherUrl(
  ctx: Context,
  voucher: VoucherRow,
  holderName: string,
): Promise<string> {
  const token =
    voucher.token ??
    (await signToken(ctx.keys, {
      kind: 'voucher',
      id: voucher.id,
      holder: voucher.holder_key,
      name: holderName,
      issuedAt: new Date(voucher.issued_at),
      expiresAt: endOfBusinessDay(voucher.expires_on),
    }));

  return credentialUrl(ctx.config.publicBaseUrl, token);
}

/**
 * Checks, in the order a member would want them explained, that a holder may get a voucher for
 * an offer today. Throws an AppError with the same reason codes the counter uses.
 */
async function assertMayIssue(
  db: Queryable,
  input: { member: MemberRow; dependant: DependantRow | null; offer: OfferRow; now: Date },
): Promise<void> {
  const { member, dependant, offer, now } = input;
  const today = businessDate(now);
  const refuse = (reason: string) => new AppError(409, reason, `reason.${reason}`);

  if (!(await goodStanding(db, member, today)).inGoodStanding) {
    throw refuse('holder_not_in_good_standing');
  }
  if (!offer.voucher_required) {
    throw new AppError(409, 'card_offer', 'money.errors.card_offer');
  }
  if (!offerOpenOn(offer, today)) {
    throw refuse('offer_not_available');
  }

  const partner = (await findPartnerById(db, offer.partner_id))!;
  if (!(await partnerMayRedeem(db, partner, now))) {
    throw refuse('partner_not_allowed');
  }
  if (!offerReaches(offer, partner, await holderPlaces(db, member))) {
    throw refuse('offer_out_of_scope');
  }
  if (dependant && !offer.dependants_eligible) {
    throw refuse('dependant_not_eligible');
  }
  if (offer.quota !== null && offer.redeemed_count >= offer.quota) {
    throw refuse('quota_reached');
  }
}

/**
 * Takes one of the holder's uses of a limited offer for the period containing `now`, or throws
 * `limit_reached`. For a voucher offer the limit counts vouchers issued; the voucher then counts
 * its own uses at the counter. The conditional upsert and the CHECK on holder_usage keep it
 * exact under any concurrency.
 */
async function takeIssueLimit(
  tx: Tx,
  offer: OfferRow,
  holderKey: string,
  now: Date,
): Promise<void> {
  if (offer.limit_count === null || offer.limit_period === null) {
    return;
  }

  const use = {
    offerId: offer.id,
    holderKey,
    periodKey: periodKey(offer.limit_period, now),
    limit: offer.limit_count,
  };
  if (!(await takeHolderUse(tx, use))) {
    throw new AppError(409, 'limit_reached', 'reason.limit_reached');
  }
}

/**
 * Issues a voucher for a voucher offer to a member or one of their dependants: checks the
 * holder, the offer and the per-holder limit (the same rules as at the counter), then stores
 * the voucher with a fresh short code and signs its QR token.
 */
export async function issueVoucher(
  ctx: Context,
  input: { memberNumber: string; offerId: number; dependantId?: number; now?: Date },
): Promise<IssuedVoucher> {
  const now = input.now ?? new Date();
  const member = await findMemberByNumber(ctx.db, input.memberNumber);
  if (!member) {
    throw new AppError(404, 'member_not_found');
  }

  let dependant: DependantRow | null = null;
  if (input.dependantId !== undefined) {
    dependant = (await findDependant(ctx.db, input.dependantId)) ?? null;
    if (!dependant || dependant.member_id !== member.id) {
      throw new AppError(404, 'dependant_not_found');
    }
  }

  const offer = await findOffer(ctx.db, input.offerId);
  if (!offer) {
    throw new AppError(404, 'offer_not_found', 'reason.offer_not_found');
  }

  await assertMayIssue(ctx.db, { member, dependant, offer, now });
  const holderKey = dependant ? dependantHolderKey(dependant.id) : memberHolderKey(member.id);
  const id = newTokenId();
  const expiresOn = voucherExpiry(offer, businessDate(now));
  const { voucher, token } = await ctx.db.transaction(async (tx) => {
    await takeIssueLimit(tx, offer, holderKey, now);
    const signed = await signWithActiveKey(ctx.keys, tx, {
      kind: 'voucher',
      id,
      holder: holderKey,
      name: fullName(dependant ?? member),
      issuedAt: now,
      expiresAt: endOfBusinessDay(expiresOn),
    });
    const row = await insertVoucher(tx, {
      id,
      offer_id: offer.id,
      member_id: member.id,
      dependant_id: dependant?.id ?? null,
      holder_key: holderKey,
      kid: signed.kid,
      max_uses: offer.voucher_uses,
      uses: 0,
      expires_on: expiresOn,
      issued_at: now,
      token: signed.token,
    });

    return { voucher: row, token: signed.token };
  });
  const url = credentialUrl(ctx.config.publicBaseUrl, token);

  return { voucher, offer, token, url };
}

/** Inserts a voucher with a new short code, drawing again in the rare case a code is taken. */
async function insertVoucher(
  tx: Tx,
  row: Omit<VoucherRow, 'code' | 'cancelled_at' | 'cancel_reason' | 'expired_at'>,
) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { rows } = await tx.raw(
      `insert into vouchers (id, code, offer_id, member_id, dependant_id, holder_key, kid,
         max_uses, uses, expires_on, issued_at, token)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (code) do nothing
       returning *`,
      [
        row.id,
        newVoucherCode(),
        row.offer_id,
        row.member_id,
        row.dependant_id,
        row.holder_key,
        row.kid,
        row.max_uses,
        row.uses,
        row.expires_on,
        row.issued_at,
        row.token,
      ],
    );
    if (rows.length === 1) {
      return rows[0] as VoucherRow;
    }
  }

  // 25^8 codes: five collisions in a row means something else is wrong.
  throw new Error('could not draw a free voucher code');
}

/** The vouchers of a member and their dependants, newest first. */
export function memberVouchers(db: Queryable, memberId: number): Promise<VoucherRow[]> {
  return db<VoucherRow>('vouchers').where({ member_id: memberId }).orderBy('issued_at', 'desc');
}
