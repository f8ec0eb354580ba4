import { Context } from '../context';
import { AppError } from '../errors';
import { forgetHolder } from './holder-cache';
import { newReference, RedemptionRow } from './redeem';

/** How long after a redemption its partner's manager may still void it. */
export const VOID_WINDOW_MINUTES = 15;

export const VOID_REASON_MAX_LENGTH = 500;

export interface VoidRequest {
  reference: string;
  /** The partner of the signed-in user: another partner's redemption is not found. */
  partnerId: number;
  partnerUserId: number;
  role: 'staff' | 'manager';
  reason: string;
  channel: 'api' | 'portal';
  now?: Date;
}

/** A redemption of this partner, by its receipt reference, or 404. */
export async function findPartnerRedemption(
  ctx: Context,
  partnerId: number,
  reference: string,
): Promise<RedemptionRow> {
  const redemption = await ctx
    .db<RedemptionRow>('redemptions')
    .where({ reference, partner_id: partnerId, kind: 'redeem' })
    .first();
  if (!redemption) {
    throw new AppError(404, 'not_found');
  }

  return redemption;
}

/** The instant after which a redemption can no longer be voided. */
export function voidDeadline(redemption: Pick<RedemptionRow, 'occurred_at'>): Date {
  return new Date(new Date(redemption.occurred_at).getTime() + VOID_WINDOW_MINUTES * 60_000);
}

/** The void row of a redemption, when it has one. */
export function findVoid(ctx: Context, redemptionId: number): Promise<RedemptionRow | undefined> {
  return ctx.db<RedemptionRow>('redemptions').where({ voids_redemption_id: redemptionId }).first();
}

/**
 * Voids a redemption: a second, linked row (kind `void`) with the same partner, offer, holder,
 * place, amounts and business date, so every report nets it out on the day of the redemption.
 * In the same transaction the use goes back to where it came from: the voucher's uses, the
 * holder's per-period counter, the offer's quota. Only a manager of the redemption's partner
 * may do it, within VOID_WINDOW_MINUTES; the unique link allows one void per redemption.
 */
export async function voidRedemption(ctx: Context, request: VoidRequest): Promise<RedemptionRow> {
  const now = request.now ?? new Date();
  const original = await findPartnerRedemption(ctx, request.partnerId, request.reference);
  if (request.role !== 'manager') {
    throw new AppError(403, 'void_manager_only', 'voidRedemption.errors.managerOnly');
  }

  const reason = request.reason.trim();
  if (reason.length < 3 || reason.length > VOID_REASON_MAX_LENGTH) {
    throw new AppError(422, 'void_reason_required', 'voidRedemption.errors.reasonRequired');
  }
  if (now >= voidDeadline(original)) {
    throw new AppError(409, 'void_window_passed', 'voidRedemption.errors.windowPassed', {
      minutes: VOID_WINDOW_MINUTES,
    });
  }

  const voided = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.raw(
      `insert into redemptions (reference, kind, voids_redemption_id, void_reason, partner_id,
         partner_user_id, offer_id, card_id, voucher_id, member_id, dependant_id, holder_key,
         province_code, region_code, gross_cents, discount_cents, occurred_at, business_date,
         period_key, channel, online)
       select ?, 'void', r.id, ?, r.partner_id, ?, r.offer_id, r.card_id, r.voucher_id,
              r.member_id, r.dependant_id, r.holder_key, r.province_code, r.region_code,
              r.gross_cents, r.discount_cents, ?, r.business_date, r.period_key, ?, true
         from redemptions r
        where r.id = ?
       on conflict (voids_redemption_id) do nothing
       returning *`,
      [newReference(), reason, request.partnerUserId, now, request.channel, original.id],
    );
    // CASE: voided already (perhaps by a second click a moment ago): one void, never two.
    if (rows.length === 0) {
      throw new AppError(409, 'already_voided', 'voidRedemption.errors.alreadyVoided');
    }

    if (original.voucher_id) {
      await tx('vouchers')
        .where({ id: original.voucher_id })
        .andWhere('uses', '>', 0)
        .decrement('uses', 1);
    }
    if (original.period_key) {
      await tx('holder_usage')
        .where({
          offer_id: original.offer_id,
          holder_key: original.holder_key,
          period_key: original.period_key,
        })
        .andWhere('used', '>', 0)
        .decrement('used', 1);
    }
    await tx('offers')
      .where({ id: original.offer_id })
      .whereNotNull('quota')
      .andWhere('redeemed_count', '>', 0)
      .decrement('redeemed_count', 1);

    return rows[0] as RedemptionRow;
  });
  forgetHolder(ctx.db, original.member_id, original.holder_key);

  return voided;
}
