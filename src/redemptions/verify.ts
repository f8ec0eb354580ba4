import { CardRow } from '../cards/service';
import { Context } from '../context';
import { looksTypedOnWrongLayout, repairQwertyOnAzerty } from '../credentials/keyboard';
import { Reason, Refusal } from '../credentials/reasons';
import {
  CredentialKind,
  extractToken,
  MAX_INPUT_LENGTH,
  verifyToken,
} from '../credentials/tokens';
import { Queryable } from '../db';
import {
  DEPENDANT_JSON,
  DependantRow,
  fullName,
  MEMBER_JSON,
  MemberRow,
  paidThroughSql,
  standingOf,
} from '../members/repository';
import {
  findOffer,
  holderPlaces,
  offerOpenOn,
  offerReaches,
  OfferRow,
  NO_COUNTERS,
  partnerOffers,
  readUsage,
  remainingFrom,
  UsageCounters,
  usageCountersOf,
  UsageTaken,
} from '../offers/repository';
import { Partner, partnerMayRedeem } from '../partners/service';
import { businessDate, endOfBusinessDay } from '../time';
import { normaliseVoucherCode, VoucherRow } from '../vouchers/repository';
import { holderCacheFor } from './holder-cache';

export interface VerdictOffer {
  offer: OfferRow;
  /**
   * Uses left: on the voucher for a voucher, else for this holder in the current period; null
   * when a card offer has no limit.
   */
  remaining: number | null;
}

export interface LastUse {
  at: Date;
  /** The partner's display name when it is the verifying partner, otherwise null. */
  partnerName: string | null;
}

/** A resolved, genuine credential and its holder. */
export interface Holder {
  member: MemberRow;
  dependant: DependantRow | null;
  holderKey: string;
  name: string;
  nameAr: string | null;
  /** The last day of the paid membership period covering today. */
  validUntil: string | null;
}

export interface Verdict {
  verdict: 'valid' | 'refused';
  reason: Reason | null;
  kind: CredentialKind | null;
  tokenId: string | null;
  holder: Holder | null;
  card: CardRow | null;
  voucher: VoucherRow | null;
  offers: VerdictOffer[];
  lastUse: LastUse | null;
  /** Why it was refused, in words for the log; never shown to the person. */
  detail: string | null;
  /** The scanned text after repairing a keyboard-layout mismatch, when that was needed. */
  repairedQr?: string;
}

export interface VerifyRequest {
  /** Scanned or typed text: the QR URL, the bare token, or a voucher's short code. */
  qr: string;
  /** The verifying partner; absent on the public page. */
  partner?: Partner;
  now?: Date;
}

const REFUSED: Omit<Verdict, 'reason'> = {
  verdict: 'refused',
  kind: null,
  tokenId: null,
  holder: null,
  card: null,
  voucher: null,
  offers: [],
  lastUse: null,
  detail: null,
};

// Every column of cards and vouchers, as CardRow and VoucherRow name them.
const CARD_COLUMNS: (keyof CardRow)[] = [
  'id', 'member_id', 'dependant_id', 'holder_key', 'kid', 'issued_at', 'expires_at', 'revoked_at',
  'revoked_reason', 'token',
];
const VOUCHER_COLUMNS: (keyof VoucherRow)[] = [
  'id', 'code', 'offer_id', 'member_id', 'dependant_id', 'holder_key', 'kid', 'max_uses', 'uses',
  'expires_on', 'issued_at', 'cancelled_at', 'cancel_reason', 'expired_at', 'token',
];

interface Credential {
  kind: CredentialKind;
  tokenId: string;
  holderKey: string;
  card?: CardRow;
  voucher?: VoucherRow;
  holder: Holder;
  inGoodStanding: boolean;
  /** The holder's usage counters asked for (see usageCountersOf). */
  usage: UsageTaken;
}

type LoadedCredential = Omit<Credential, 'tokenId' | 'usage'>;

// The holder key of the credential's holder, as Holder.holderKey spells it.
const HOLDER_KEY_SQL = `case when d.id is null then 'M' || m.id else 'D' || d.id end`;

/**
 * A card or voucher row with its holder, the paid period covering `date` and the holder's usage
 * counters, in one statement: a scan at the counter reads the database at most once for all of
 * them, and not at all when the holder cache has them.
 */
async function loadCredential(
  db: Queryable,
  kind: CredentialKind,
  where: { id: string } | { code: string },
  date: string,
  counters: UsageCounters,
): Promise<Omit<Credential, 'tokenId'> | null> {
  const [table, columns] =
    kind === 'card' ? ['cards', CARD_COLUMNS] : ['vouchers', VOUCHER_COLUMNS];
  const [column, value] = 'id' in where ? ['id', where.id] : ['code', where.code];
  const cache = holderCacheFor(db);
  const key = `${table}:${column}:${value}:${date}`;
  const kept = cache?.credential<LoadedCredential>(key);
  if (cache && kept) {
    let usage = cache.usageOf(kept.holder.holderKey, counters);
    if (!usage) {
      const since = cache.mark();
      usage = await readUsage(db, kept.holder.holderKey, counters);
      cache.keepUsage(kept.holder.holderKey, counters, usage, since);
    }

    return { ...kept, usage };
  }

  const since = cache?.mark() ?? 0;
  // A named statement: each connection plans it once, then reuses the plan (planning costs
  // several times what running it does). Columns are named, never `*`, so that a column added
  // while instances run cannot break their prepared plans.
  const { rows } = await db
    .raw(
      `select ${columns.map((name) => `c.${name}`).join(', ')},
              ${MEMBER_JSON} as member, ${DEPENDANT_JSON} as dependant,
              ${paidThroughSql('c.member_id')} as paid_through,
              (select coalesce(json_agg(json_build_array(u.offer_id, u.period_key, u.used)), '[]')
                 from holder_usage u
                where u.holder_key = ${HOLDER_KEY_SQL}
                  and u.offer_id = any(?::bigint[]) and u.period_key = any(?::text[])) as usage
         from ${table} c
         join members m on m.id = c.member_id
         left join dependants d on d.id = c.dependant_id
        where c.${column} = ?`,
      [date, date, counters.offerIds, counters.periodKeys, value],
    )
    .options({ name: `nadipass_${table}_by_${column}_with_holder` });
  if (rows.length === 0) {
    return null;
  }

  const { member, dependant, paid_through: paidThrough, usage: counted, ...row } = rows[0] as {
    member: MemberRow;
    dependant: DependantRow | null;
    paid_through: string | null;
    usage: [number, string, number][];
  } & (CardRow | VoucherRow);
  const standing = standingOf(member, paidThrough);
  const person = dependant ?? member;
  const holder: Holder = {
    member,
    dependant,
    holderKey: dependant ? `D${dependant.id}` : `M${member.id}`,
    name: fullName(person),
    nameAr: person.full_name_ar,
    // A suspended member's paid period is no promise to the clerk: show no date then.
    validUntil: standing.inGoodStanding ? standing.validUntil : null,
  };
  const loaded: LoadedCredential = {
    kind,
    holderKey: row.holder_key,
    ...(kind === 'card' ? { card: row as CardRow } : { voucher: row as VoucherRow }),
    holder,
    inGoodStanding: standing.inGoodStanding,
  };
  const usage: UsageTaken = new Map(
    counted.map(([offerId, period, used]) => [`${offerId}|${period}`, Number(used)]),
  );
  cache?.keepCredential(key, member.id, loaded, since);
  cache?.keepUsage(holder.holderKey, counters, usage, since);

  return { ...loaded, usage };
}

/**
 * Resolves scanned text to a card or voucher and its holder, checking the signature when there
 * is one. A card comes with the holder's usage `counters`; a voucher counts its own uses.
 */
async function resolveCredential(
  ctx: Context,
  qr: string,
  now: Date,
  counters: () => Promise<UsageCounters>,
): Promise<Credential> {
  if (typeof qr !== 'string' || qr.length > MAX_INPUT_LENGTH) {
    throw new Refusal('malformed', 'input missing or too long');
  }

  const today = businessDate(now);
  const code = normaliseVoucherCode(qr);
  if (code) {
    const voucher = await loadCredential(ctx.db, 'voucher', { code }, today, NO_COUNTERS);
    if (!voucher) {
      throw new Refusal('unknown_credential', 'no voucher with that code');
    }

    return { ...voucher, tokenId: voucher.voucher!.id };
  }

  const token = extractToken(qr);
  if (!token) {
    throw new Refusal('malformed', 'neither a token, a credential URL nor a voucher code');
  }

  const { kind, claims } = await verifyToken(ctx.keys, token, { now });
  const credential = await loadCredential(
    ctx.db,
    kind,
    { id: claims.jti },
    today,
    kind === 'card' ? await counters() : NO_COUNTERS,
  );
  // CASE: a genuine signature over an id we have no row for, or for another holder, means the
  // database and the keys have parted ways (a restored backup): never trust such a token.
  if (!credential || credential.holderKey !== claims.sub) {
    throw new Refusal('unknown_credential', `no ${kind} ${claims.jti} for ${claims.sub}`);
  }

  return { ...credential, tokenId: claims.jti };
}

/** The last use of a voucher, named only when it was at the verifying partner. */
async function lastVoucherUse(db: Queryable, voucherId: string, partner?: Partner): Promise<LastUse | null> {
  const row = await db('redemptions as r')
    .join('partners as p', 'p.id', 'r.partner_id')
    .where({ 'r.voucher_id': voucherId, 'r.kind': 'redeem' })
    .whereNotExists(db('redemptions as v').whereRaw('v.voids_redemption_id = r.id'))
    .orderBy('r.occurred_at', 'desc')
    .first('r.occurred_at', 'r.partner_id', 'p.display_name');
  if (!row) {
    return null;
  }

  return {
    at: row.occurred_at,
    partnerName: partner && row.partner_id === partner.id ? row.display_name : null,
  };
}

// A repaired text counts only when it is a token signed by the club (or a voucher code we know):
// anything less means the repair guessed wrong.
const UNREPAIRED = new Set<Reason | null>(['malformed', 'unknown_key', 'bad_signature']);

/**
 * Verifies scanned text, read-only, and answers one verdict (see verifyScannedText). Text that a
 * QWERTY-configured scanner typed on an AZERTY computer is repaired when the repaired text is a
 * credential of the club; when it is not, but the text bears the marks of such a scanner, the
 * reason is `keyboard_layout` so that the counter fixes the scanner instead of the card.
 */
export async function verifyCredential(ctx: Context, request: VerifyRequest): Promise<Verdict> {
  const verdict = await verifyScannedText(ctx, request);
  if (verdict.reason !== 'malformed' || typeof request.qr !== 'string') {
    return verdict;
  }

  const repairedQr = repairQwertyOnAzerty(request.qr);
  if (repairedQr !== request.qr) {
    const repaired = await verifyScannedText(ctx, { ...request, qr: repairedQr });
    if (!UNREPAIRED.has(repaired.reason)) {
      return { ...repaired, repairedQr };
    }
  }
  if (looksTypedOnWrongLayout(request.qr)) {
    return { ...verdict, reason: 'keyboard_layout', detail: 'typed with a mismatched layout' };
  }

  return verdict;
}

/**
 * Verifies scanned text as it is, read-only. Checks run in a fixed order and the
 * first failure is the reason: malformed → unknown key → bad signature → expired / not yet valid
 * → unknown credential → revoked → holder not in good standing → partner not allowed → offer
 * out of scope or not available → dependant not eligible → limit reached → already used.
 */
async function verifyScannedText(ctx: Context, request: VerifyRequest): Promise<Verdict> {
  const now = request.now ?? new Date();
  const today = businessDate(now);
  const partner = request.partner;
  let verdict: Verdict = { ...REFUSED, reason: 'malformed' };

  try {
    // The partner's offers that count uses per holder: their counters are read with the card.
    const credential = await resolveCredential(ctx, request.qr, now, async () =>
      partner
        ? usageCountersOf(
            (await partnerOffers(ctx.db, partner.id)).filter((offer) => !offer.voucher_required),
            now,
          )
        : NO_COUNTERS,
    );
    const card = credential.card ?? null;
    const voucher = credential.voucher ?? null;
    const { holder, inGoodStanding } = credential;
    verdict = {
      ...verdict,
      kind: credential.kind,
      tokenId: credential.tokenId,
      holder,
      card,
      voucher,
    };

    // NOTE: the rows are checked on the server's own clock, with no tolerance: "valid until D"
    // ends exactly at the end of local day D. The clock tolerance is for the token's claims,
    // which other clocks (offline verifiers, other instances) also read.
    if (card && card.expires_at.getTime() <= now.getTime()) {
      throw new Refusal('expired', 'card past its expiry');
    }
    if (voucher && endOfBusinessDay(voucher.expires_on).getTime() <= now.getTime()) {
      throw new Refusal('expired', `voucher valid until ${voucher.expires_on}`);
    }
    if (card?.revoked_at || voucher?.cancelled_at) {
      throw new Refusal('revoked');
    }
    if (!inGoodStanding) {
      throw new Refusal('holder_not_in_good_standing');
    }
    if (!partner) {
      return { ...verdict, verdict: 'valid', reason: null };
    }
    if (!(await partnerMayRedeem(ctx.db, partner, now))) {
      // A partner without a current agreement learns nothing about the holder.
      verdict = { ...verdict, holder: null };
      throw new Refusal('partner_not_allowed');
    }

    const places = await holderPlaces(ctx.db, holder.member);
    if (voucher) {
      const offer = await findOffer(ctx.db, voucher.offer_id);
      if (!offer || offer.partner_id !== partner.id) {
        throw new Refusal('offer_out_of_scope', 'voucher for another partner');
      }
      if (!offerOpenOn(offer, today)) {
        throw new Refusal('offer_not_available');
      }
      if (holder.dependant && !offer.dependants_eligible) {
        throw new Refusal('dependant_not_eligible');
      }

      // A voucher offer's per-holder limit was taken when the voucher was issued; at the
      // counter only the voucher's own uses count.
      const remaining = Math.max(0, voucher.max_uses - voucher.uses);
      verdict = { ...verdict, offers: [{ offer, remaining }] };
      if (remaining === 0) {
        verdict = { ...verdict, lastUse: await lastVoucherUse(ctx.db, voucher.id, partner) };
        throw new Refusal('already_used');
      }

      return { ...verdict, verdict: 'valid', reason: null };
    }

    const eligible = (await partnerOffers(ctx.db, partner.id)).filter(
      (offer) =>
        !offer.voucher_required &&
        offerOpenOn(offer, today) &&
        offerReaches(offer, partner, places) &&
        (holder.dependant === null || offer.dependants_eligible),
    );
    const remaining = remainingFrom(eligible, now, credential.usage);
    const usable: VerdictOffer[] = eligible.map((offer, index) => ({
      offer,
      remaining: remaining[index],
    }));
    verdict = { ...verdict, offers: usable };
    if (usable.length > 0 && usable.every((entry) => entry.remaining === 0)) {
      throw new Refusal('limit_reached');
    }

    return { ...verdict, verdict: 'valid', reason: null };
  } catch (error) {
    if (error instanceof Refusal) {
      return { ...verdict, verdict: 'refused', reason: error.reason, detail: error.detail ?? null };
    }
    throw error;
  }
}

/** Keeps a refused verification or redemption, with its reason, for fraud signals and support. */
export async function recordRefusedAttempt(
  db: Queryable,
  attempt: {
    action: 'verify' | 'redeem';
    reason: Reason;
    channel: 'api' | 'portal' | 'public';
    partnerId?: number;
    partnerUserId?: number;
    apiKeyId?: number;
    tokenId?: string | null;
    holderKey?: string | null;
    memberId?: number | null;
    offerId?: number | null;
  },
): Promise<void> {
  await db('refused_attempts').insert({
    action: attempt.action,
    reason: attempt.reason,
    channel: attempt.channel,
    partner_id: attempt.partnerId ?? null,
    partner_user_id: attempt.partnerUserId ?? null,
    api_key_id: attempt.apiKeyId ?? null,
    token_id: attempt.tokenId ?? null,
    holder_key: attempt.holderKey ?? null,
    member_id: attempt.memberId ?? null,
    offer_id: attempt.offerId ?? null,
  });
}
