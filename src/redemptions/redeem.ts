import crypto from 'node:crypto';

import { Knex } from 'knex';

import { Context } from '../context';
import { Reason, Refusal } from '../credentials/reasons';
import { AppError } from '../errors';
import { discountCents } from '../offers/benefit';
import {
  findOffer,
  holderPlaces,
  offerOpenOn,
  offerReaches,
} from '../offers/repository';
import { Queryable } from '../db';
import { Partner } from '../partners/service';
import { businessDate, periodKey } from '../time';
import { forgetHolder } from './holder-cache';
import { recordRefusedAttempt, Verdict, verifyCredential } from './verify';

export interface RedeemRequest {
  qr: string;
  offerId: number;
  grossCents: number;
  idempotencyKey: string;
  partner: Partner;
  channel: 'api' | 'portal';
  partnerUserId?: number;
  apiKeyId?: number;
  now?: Date;
}

export interface RedemptionRow {
  id: number;
  reference: string;
  kind: 'redeem' | 'void';
  partner_id: number;
  partner_user_id: number | null;
  offer_id: number;
  card_id: string | null;
  voucher_id: string | null;
  member_id: number;
  dependant_id: number | null;
  holder_key: string;
  province_code: string;
  region_code: string;
  gross_cents: number;
  discount_cents: number;
  occurred_at: Date;
  business_date: string;
  /** The limit period a card use counted in; null for vouchers and unlimited offers. */
  period_key: string | null;
  voids_redemption_id: number | null;
  void_reason: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
}

// Every column of RedemptionRow: a prepared statement names its columns, never `*`, so that a
// column added while instances run cannot break their prepared plans.
const REDEMPTION_COLUMNS: (keyof RedemptionRow)[] = [
  'id', 'reference', 'kind', 'partner_id', 'partner_user_id', 'offer_id', 'card_id', 'voucher_id',
  'member_id', 'dependant_id', 'holder_key', 'province_code', 'region_code', 'gross_cents',
  'discount_cents', 'occurred_at', 'business_date', 'period_key', 'voids_redemption_id',
  'void_reason', 'idempotency_key', 'request_hash',
];

export type RedeemOutcome =
  | { status: 'redeemed'; redemption: RedemptionRow; replayed: boolean }
  | { status: 'refused'; verdict: Verdict };

// What refuse_redemption raises (see its migration).
const REFUSED_SQLSTATE = 'NP001';

// Receipt references: short, unambiguous, easy to read over the phone.
const REFERENCE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/** A new receipt reference, e.g. `R7KXD93FAQ4`: for redemptions and voids alike. */
export function newReference(): string {
  const bytes = crypto.randomBytes(10);

  return 'R' + [...bytes].map((byte) => REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length]).join('');
}

/**
 * What identifies a redemption request for idempotency: the credential, offer and amount.
 * The credential is named by its decoded token id, never by the raw text, so two encodings of
 * one token (or a voucher's QR and its typed code) are one request. Text that names no
 * credential at all is hashed as it is: it can never match a stored request.
 */
function requestHash(verdict: Verdict, qr: string, offerId: number, grossCents: number): string {
  const credential = verdict.tokenId !== null ? `id:${verdict.tokenId}` : `text:${qr}`;

  return crypto.createHash('sha256').update(`${credential}|${offerId}|${grossCents}`).digest('hex');
}

/**
 * Why an offer that the verdict does not list cannot be redeemed with this credential, checked
 * in the same order as the verdict: unknown here → needs a voucher → not open → out of scope →
 * not for dependants.
 */
async function unlistedOfferReason(
  ctx: Context,
  verdict: Verdict,
  offerId: number,
  partner: Partner,
  now: Date,
): Promise<Reason> {
  if (verdict.kind === 'voucher') {
    return 'voucher_for_other_offer';
  }

  const offer = await findOffer(ctx.db, offerId);
  if (!offer || offer.partner_id !== partner.id) {
    return 'offer_not_found';
  }
  if (offer.voucher_required) {
    return 'voucher_required';
  }
  if (!offerOpenOn(offer, businessDate(now))) {
    return 'offer_not_available';
  }
  if (!offerReaches(offer, partner, await holderPlaces(ctx.db, verdict.holder!.member))) {
    return 'offer_out_of_scope';
  }

  return verdict.holder!.dependant && !offer.dependants_eligible
    ? 'dependant_not_eligible'
    : 'offer_not_found';
}

async function findByIdempotencyKey(ctx: Context, partnerId: number, key: string) {
  return ctx.db<RedemptionRow>('redemptions')
    .where({ partner_id: partnerId, idempotency_key: key, kind: 'redeem' })
    .first();
}

function replay(existing: RedemptionRow, hash: string): RedeemOutcome {
  if (existing.request_hash !== hash) {
    throw new AppError(422, 'idempotency_key_reused');
  }

  return { status: 'redeemed', redemption: existing, replayed: true };
}

/** The counters a redemption takes one use from, besides the ledger row itself. */
interface Uses {
  voucherId: string | null;
  holderLimit: { offerId: number; holderKey: string; periodKey: string; limit: number } | null;
  quotaOfferId: number | null;
}

/**
 * Claims the idempotency key with the ledger row and takes one use from each counter that
 * applies, in one statement: either all of it is written or none of it. A counter with no use
 * left (another request took the last one since the verdict) makes the statement call
 * refuse_redemption, which undoes the whole statement: the refusal comes back as a Refusal. The
 * conditional updates wait for any concurrent taker of the same row and re-check, and CHECK
 * constraints back each counter, so no concurrency exceeds them. Null when the key was already
 * claimed by an earlier request.
 */
async function claimRedemption(
  db: Queryable,
  row: Knex.RawBinding[],
  uses: Uses,
): Promise<RedemptionRow | null> {
  const parts = [
    `claimed as (
       insert into redemptions (reference, kind, partner_id, partner_user_id, api_key_id,
         offer_id, card_id, voucher_id, member_id, dependant_id, holder_key, province_code,
         region_code, gross_cents, discount_cents, occurred_at, business_date, period_key,
         idempotency_key, request_hash, channel, online)
       values (?, 'redeem', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)
       on conflict (partner_id, idempotency_key) where kind = 'redeem' do nothing
       returning ${REDEMPTION_COLUMNS.join(', ')})`,
  ];
  const bindings: Knex.RawBinding[] = [...row];
  const checks: string[] = [];
  if (uses.voucherId !== null) {
    parts.push(`voucher_use as (
       update vouchers set uses = uses + 1
        where id = ? and cancelled_at is null and uses < max_uses
          and exists (select 1 from claimed)
       returning id)`);
    bindings.push(uses.voucherId);
    checks.push(
      `when not exists (select 1 from voucher_use) then refuse_redemption('already_used')`,
    );
  }
  if (uses.holderLimit !== null) {
    const { offerId, holderKey, periodKey, limit } = uses.holderLimit;
    parts.push(`holder_use as (
       insert into holder_usage (offer_id, holder_key, period_key, used, limit_count)
       select ?, ?, ?, 1, ? where exists (select 1 from claimed)
       on conflict (offer_id, holder_key, period_key) do update
         set used = holder_usage.used + 1
         where holder_usage.used < holder_usage.limit_count
       returning used)`);
    bindings.push(offerId, holderKey, periodKey, limit);
    checks.push(
      `when not exists (select 1 from holder_use) then refuse_redemption('limit_reached')`,
    );
  }
  if (uses.quotaOfferId !== null) {
    parts.push(`quota_use as (
       update offers set redeemed_count = redeemed_count + 1
        where id = ? and redeemed_count < quota and exists (select 1 from claimed)
       returning id)`);
    bindings.push(uses.quotaOfferId);
    checks.push(
      `when not exists (select 1 from quota_use) then refuse_redemption('quota_reached')`,
    );
  }
  const refused = checks.length > 0 ? `, case ${checks.join(' ')} end as refused` : '';

  try {
    // A named statement, one per combination of counters: each connection plans it once.
    const name = `nadipass_redeem_${uses.voucherId !== null ? 'v' : ''}${
      uses.holderLimit !== null ? 'l' : ''}${uses.quotaOfferId !== null ? 'q' : ''}`;
    const { rows } = await db
      .raw(`with ${parts.join(', ')} select claimed.*${refused} from claimed`, bindings)
      .options({ name });
    if (rows.length === 0) {
      return null;
    }
    const { refused: _none, ...redemption } = rows[0];

    return redemption as RedemptionRow;
  } catch (error) {
    const refusal = error as { code?: string; detail?: string };
    if (refusal.code === REFUSED_SQLSTATE) {
      throw new Refusal(refusal.detail as Reason);
    }
    throw error;
  }
}

/**
 * Redeems an offer for the holder of a card or voucher, exactly once. The verdict is checked
 * first, read-only; then one statement claims the idempotency key and takes one use from each
 * counter that applies (the voucher's uses, the holder's per-period limit, the offer's quota):
 * see claimRedemption.
 */
export async function redeem(ctx: Context, request: RedeemRequest): Promise<RedeemOutcome> {
  const now = request.now ?? new Date();
  const { partner } = request;

  const verdict = await verifyCredential(ctx, { qr: request.qr, partner, now });
  const hash = requestHash(verdict, request.qr, request.offerId, request.grossCents);

  // A request that would now be refused may be the retry of one that succeeded (its voucher
  // used up by that very redemption): the retry gets the stored answer. A request that passes
  // meets its earlier self, if any, at the insert below.
  const refuse = async (refused: Verdict): Promise<RedeemOutcome> => {
    const earlier = await findByIdempotencyKey(ctx, partner.id, request.idempotencyKey);
    if (earlier) {
      return replay(earlier, hash);
    }

    await recordRefusedAttempt(ctx.db, {
      action: 'redeem',
      reason: refused.reason!,
      channel: request.channel,
      partnerId: partner.id,
      partnerUserId: request.partnerUserId,
      apiKeyId: request.apiKeyId,
      tokenId: refused.tokenId,
      holderKey: refused.holder?.holderKey,
      memberId: refused.holder?.member.id,
      offerId: request.offerId,
    });

    return { status: 'refused', verdict: refused };
  };

  if (verdict.verdict === 'refused') {
    // A holder who has used up every offer here may still ask for another offer: what is wrong
    // with that offer comes first in the order of checks.
    const listed = verdict.offers.some((candidate) => candidate.offer.id === request.offerId);
    if (verdict.reason === 'limit_reached' && !listed) {
      const reason = await unlistedOfferReason(ctx, verdict, request.offerId, partner, now);

      return refuse({ ...verdict, reason });
    }

    return refuse(verdict);
  }

  const entry = verdict.offers.find((candidate) => candidate.offer.id === request.offerId);
  if (!entry) {
    const reason = await unlistedOfferReason(ctx, verdict, request.offerId, partner, now);

    return refuse({ ...verdict, verdict: 'refused', reason });
  }

  const { offer } = entry;
  const holder = verdict.holder!;
  // A card use counts against the holder's per-period limit; a voucher's limit was taken when
  // it was issued, and the voucher counts its own uses.
  const period =
    !verdict.voucher && offer.limit_period ? periodKey(offer.limit_period, now) : null;

  try {
    const redemption = await claimRedemption(
      ctx.db,
      [
        newReference(),
        partner.id,
        request.partnerUserId ?? null,
        request.apiKeyId ?? null,
        offer.id,
        verdict.card?.id ?? null,
        verdict.voucher?.id ?? null,
        holder.member.id,
        holder.dependant?.id ?? null,
        holder.holderKey,
        partner.province_code,
        partner.region_code,
        request.grossCents,
        discountCents(offer.benefit_kind, offer.benefit_value, request.grossCents),
        now,
        businessDate(now),
        period,
        request.idempotencyKey,
        hash,
        request.channel,
      ],
      {
        voucherId: verdict.voucher?.id ?? null,
        holderLimit:
          offer.limit_count !== null && period !== null
            ? {
                offerId: offer.id,
                holderKey: holder.holderKey,
                periodKey: period,
                limit: offer.limit_count,
              }
            : null,
        quotaOfferId: offer.quota !== null ? offer.id : null,
      },
    );

    if (!redemption) {
      const existing = await findByIdempotencyKey(ctx, partner.id, request.idempotencyKey);

      return replay(existing!, hash);
    }

    forgetHolder(ctx.db, holder.member.id, holder.holderKey);

    return { status: 'redeemed', redemption, replayed: false };
  } catch (error) {
    if (error instanceof Refusal) {
      return refuse({ ...verdict, verdict: 'refused', reason: error.reason, detail: error.detail ?? null });
    }
    throw error;
  }
}
