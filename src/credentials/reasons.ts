/**
 * Why a card or voucher was refused. The codes are stable: the API returns them, the portal and
 * the public page translate them, reports count them. `docs/credentials.md` lists them in the
 * order they are checked.
 */
export const REASONS = [
  'malformed',
  'keyboard_layout',
  'unknown_key',
  'bad_signature',
  'wrong_kind',
  'expired',
  'not_yet_valid',
  'unknown_credential',
  'revoked',
  'holder_not_in_good_standing',
  'partner_not_allowed',
  'offer_not_found',
  'offer_not_available',
  'offer_out_of_scope',
  'voucher_required',
  'voucher_for_other_offer',
  'dependant_not_eligible',
  'limit_reached',
  'quota_reached',
  'already_used',
] as const;

export type Reason = (typeof REASONS)[number];

/** A refusal with its stable code; `detail` is for the log, never shown to the person. */
export class Refusal extends Error {
  constructor(
    readonly reason: Reason,
    readonly detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'Refusal';
  }
}
