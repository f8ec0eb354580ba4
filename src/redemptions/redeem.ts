import crypto from 'node:crypto';

import { Context } from '../context';
import { Refusal } from '../credentials/reasons';
import { AppError } from '../errors';
import { discountCents } from '../offers/benefit';
import { Partner } from '../partners/service';
import { businessDate, periodKey } from '../time';
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
  idempotency_key: string | null;
  request_hash: string | null;
}

export type RedeemOutcome =
  | { status: 'redeemed'; redemption: RedemptionRow; replayed: boolean }
  | { status: 'refused'; verdict: Verdict };

// Receipt references: short, unambiguous, easy to read over the phone.
const REFERENCE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

function newReference(): string {
  const bytes = crypto.randomBytes(10);

  return 'R' + [...bytes].map((byte) => REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length]).join('');
}

/**
 * What identifies a redemption request for idempotency: the credential, offer and amount.
 * The credential is named by its decoded token id, never by the raw text, so two encodings of
 * one token are one request.
 */
function requestHash(tokenId: string, offerId: number, grossCents: number): string {
  return crypto.createHash('sha256').update(`${tokenId}|${offerId}|${grossCents}`).digest('hex');
}

async function findByIdempotencyKey(ctx: Context, partnerId: number, key: string) {
  return ctx.db<RedemptionRow>('redemptions')
    .where({ partner_id: partnerId, idempotency_key: key, kind: 'redeem' })
    .first();
}

function replay(existing: RedemptionRow, hash: string | null): RedeemOutcome {
  if (hash !== null && existing.request_hash !== hash) {
    throw new AppError(422, 'idempotency_key_reused');
  }

  return { status: 'redeemed', redemption: existing, replayed: true };
}

/**
 * Redeems an offer for the holder of a card or voucher, exactly once. The verdict is checked
 * first, read-only; then one transaction claims the idempotency key and takes one use from each
 * counter that applies (the voucher's uses, the holder's per-period limit, the offer's quota)
 * with conditional updates, so no concurrency can exceed them; CHECK constraints back each one.
 */
export async function redeem(ctx: Context, request: RedeemRequest): Promise<RedeemOutcome> {
  const now = request.now ?? new Date();
  const { partner } = request;

  const earlier = await findByIdempotencyKey(ctx, partner.id, request.idempotencyKey);
  const verdict = await verifyCredential(ctx, { qr: request.qr, partner, now });
  if (earlier) {
    return replay(earlier, verdict.tokenId ? requestHash(verdict.tokenId, request.offerId, request.grossCents) : null);
  }

  const refuse = async (refused: Verdict): Promise<RedeemOutcome> => {
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
    return refuse(verdict);
  }

  const entry = verdict.offers.find((candidate) => candidate.offer.id === request.offerId);
  if (!entry) {
    const reason = verdict.kind === 'voucher' ? 'voucher_for_other_offer' : 'offer_not_found';

    return refuse({ ...verdict, verdict: 'refused', reason });
  }

  const { offer } = entry;
  const holder = verdict.holder!;
  const hash = requestHash(verdict.tokenId!, offer.id, request.grossCents);
  const period = offer.limit_period ? periodKey(offer.limit_period, now) : null;

  try {
    const redemption = await ctx.db.transaction(async (tx) => {
      const [claimed] = await tx.raw(
        `insert into redemptions (reference, kind, partner_id, partner_user_id, api_key_id,
           offer_id, card_id, voucher_id, member_id, dependant_id, holder_key, province_code,
           region_code, gross_cents, discount_cents, occurred_at, business_date, period_key,
           idempotency_key, request_hash, channel, online)
         values (?, 'redeem', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)
         on conflict (partner_id, idempotency_key) where kind = 'redeem' do nothing
         returning *`,
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
      ).then((result: { rows: RedemptionRow[] }) => result.rows);
      // CASE: the same key arrived twice at once: the other request committed first.
      if (!claimed) {
        return null;
      }

      if (verdict.voucher) {
        const taken = await tx('vouchers')
          .where({ id: verdict.voucher.id })
          .whereNull('cancelled_at')
          .andWhere('uses', '<', tx.ref('max_uses'))
          .increment('uses', 1)
          .returning('uses');
        if (taken.length === 0) {
          throw new Refusal('already_used');
        }
      }
      if (offer.limit_count !== null && period !== null) {
        const { rows } = await tx.raw(
          `insert into holder_usage (offer_id, holder_key, period_key, used, limit_count)
           values (?, ?, ?, 1, ?)
           on conflict (offer_id, holder_key, period_key) do update
             set used = holder_usage.used + 1
             where holder_usage.used < holder_usage.limit_count
           returning used`,
          [offer.id, holder.holderKey, period, offer.limit_count],
        );
        if (rows.length === 0) {
          throw new Refusal('limit_reached');
        }
      }
      if (offer.quota !== null) {
        const taken = await tx('offers')
          .where({ id: offer.id })
          .andWhere('redeemed_count', '<', tx.ref('quota'))
          .increment('redeemed_count', 1)
          .returning('id');
        if (taken.length === 0) {
          throw new Refusal('quota_reached');
        }
      }

      return claimed;
    });

    if (!redemption) {
      const existing = await findByIdempotencyKey(ctx, partner.id, request.idempotencyKey);

      return replay(existing!, hash);
    }

    return { status: 'redeemed', redemption, replayed: false };
  } catch (error) {
    if (error instanceof Refusal) {
      return refuse({ ...verdict, verdict: 'refused', reason: error.reason, detail: error.detail ?? null });
    }
    throw error;
  }
}
