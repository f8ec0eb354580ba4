import { currentCard } from '../cards/downloads';
import { CardRow, dependantHolderKey, issueCard, memberHolderKey } from '../cards/service';
import { Context } from '../context';
import { Queryable } from '../db';
import { AppError } from '../errors';
import { CatalogueOffer, OfferCategory, offersWithPartners } from '../offers/catalogue';
import { holderPlaces, offerOpenOn, offerReaches, remainingUses } from '../offers/repository';
import { businessDate } from '../time';
import { DependantRow, fullName, MemberRow } from './repository';

/** Where an offer sits for a member: their own provinces first, then their region, then beyond. */
export type Nearness = 'province' | 'region' | 'national';

export interface NearbyOffer {
  offer: CatalogueOffer;
  nearness: Nearness;
  /** Card offers: uses left this period for the member (null: no limit). */
  remaining: number | null;
}

/** A card holder of a membership: the member, or one of their dependants. */
export interface CardHolder {
  holderKey: string;
  member: MemberRow;
  dependant: DependantRow | null;
  name: string;
  nameAr: string | null;
}

export function memberDependants(db: Queryable, memberId: number): Promise<DependantRow[]> {
  return db<DependantRow>('dependants').where({ member_id: memberId }).orderBy('id');
}

/** The member and their dependants, each a card holder. */
export async function cardHolders(db: Queryable, member: MemberRow): Promise<CardHolder[]> {
  const dependants = await memberDependants(db, member.id);

  return [
    {
      holderKey: memberHolderKey(member.id),
      member,
      dependant: null,
      name: fullName(member),
      nameAr: member.full_name_ar,
    },
    ...dependants.map((dependant) => ({
      holderKey: dependantHolderKey(dependant.id),
      member,
      dependant,
      name: fullName(dependant),
      nameAr: dependant.full_name_ar,
    })),
  ];
}

/**
 * The holder's current card, as issued (downloading it again never replaces a printed card);
 * a holder whose card was never issued, was revoked or has expired gets a new one.
 */
export async function ensureCurrentCard(
  ctx: Context,
  holder: CardHolder,
  now: Date = new Date(),
): Promise<CardRow> {
  const card = await currentCard(ctx, holder.holderKey);
  if (card?.token && new Date(card.expires_at) > now) {
    return card;
  }

  const issued = await issueCard(ctx, {
    memberNumber: holder.member.number,
    dependantId: holder.dependant?.id,
    now,
  });

  return (await ctx.db<CardRow>('cards').where({ id: issued.id }).first())!;
}

/**
 * The offers a member can use today, nearest first: partners in the provinces where they work
 * or live, then in their region, then national offers from elsewhere. Only open offers of
 * partners with a current agreement, reaching the member by their scope.
 */
export async function offersNearMember(
  ctx: Context,
  member: MemberRow,
  options: { category?: OfferCategory; now?: Date } = {},
): Promise<NearbyOffer[]> {
  const now = options.now ?? new Date();
  const today = businessDate(now);
  const places = await holderPlaces(ctx.db, member);
  const query = offersWithPartners(ctx.db)
    .where('p.status', 'active')
    .whereExists(
      ctx
        .db('agreements as a')
        .whereRaw('a.partner_id = p.id')
        .andWhere('a.starts_on', '<=', today)
        .andWhere('a.ends_on', '>=', today),
    );
  if (options.category) {
    query.where('o.category', options.category);
  }

  const rank: Record<Nearness, number> = { province: 0, region: 1, national: 2 };
  const nearby: NearbyOffer[] = [];
  for (const offer of (await query) as CatalogueOffer[]) {
    const partner = {
      province_code: offer.partner_province_code,
      region_code: offer.partner_region_code,
    };
    if (!offerOpenOn(offer, today) || !offerReaches(offer, partner, places)) {
      continue;
    }

    const nearness: Nearness = places.provinces.includes(partner.province_code)
      ? 'province'
      : places.regions.includes(partner.region_code)
        ? 'region'
        : 'national';
    const remaining = offer.voucher_required
      ? null
      : await remainingUses(ctx.db, offer, memberHolderKey(member.id), now);
    nearby.push({ offer, nearness, remaining });
  }

  return nearby.sort((a, b) => rank[a.nearness] - rank[b.nearness] || a.offer.id - b.offer.id);
}

export interface HistoryEntry {
  reference: string;
  occurredAt: Date;
  partnerName: string;
  partnerNameAr: string | null;
  offerTitleFr: string;
  offerTitleAr: string;
  holderName: string;
  grossCents: number;
  discountCents: number;
  voided: boolean;
}

/**
 * Everything the member and their dependants redeemed, newest first, with the total saved:
 * the discounts of every redemption that was not voided.
 */
export async function memberHistory(
  db: Queryable,
  memberId: number,
): Promise<{ entries: HistoryEntry[]; savedCents: number }> {
  const rows = await db('redemptions as r')
    .join('partners as p', 'p.id', 'r.partner_id')
    .join('offers as o', 'o.id', 'r.offer_id')
    .leftJoin('dependants as d', 'd.id', 'r.dependant_id')
    .join('members as m', 'm.id', 'r.member_id')
    .where({ 'r.member_id': memberId, 'r.kind': 'redeem' })
    .select(
      'r.reference',
      'r.occurred_at',
      'r.gross_cents',
      'r.discount_cents',
      'p.display_name',
      'p.display_name_ar',
      'o.title_fr',
      'o.title_ar',
      db.raw(
        "coalesce(d.first_name || ' ' || d.last_name, m.first_name || ' ' || m.last_name) as holder_name",
      ),
      db.raw('exists (select 1 from redemptions v where v.voids_redemption_id = r.id) as voided'),
    )
    .orderBy('r.occurred_at', 'desc')
    .limit(500);
  const entries: HistoryEntry[] = rows.map((row: Record<string, unknown>) => ({
    reference: row.reference as string,
    occurredAt: new Date(row.occurred_at as string),
    partnerName: row.display_name as string,
    partnerNameAr: row.display_name_ar as string | null,
    offerTitleFr: row.title_fr as string,
    offerTitleAr: row.title_ar as string,
    holderName: row.holder_name as string,
    grossCents: Number(row.gross_cents),
    discountCents: Number(row.discount_cents),
    voided: row.voided === true,
  }));
  const total = await db('redemptions as r')
    .where({ 'r.member_id': memberId, 'r.kind': 'redeem' })
    .whereNotExists(db('redemptions as v').whereRaw('v.voids_redemption_id = r.id'))
    .sum({ saved: 'r.discount_cents' })
    .first();

  return { entries, savedCents: Number(total?.saved ?? 0) };
}

/** A holder of this member's card by the path segment `member` or a dependant's id, or 404. */
export async function holderOf(
  db: Queryable,
  member: MemberRow,
  segment: string,
): Promise<CardHolder> {
  const holder = (await cardHolders(db, member)).find((candidate) =>
    segment === 'member'
      ? candidate.dependant === null
      : String(candidate.dependant?.id) === segment,
  );
  if (!holder) {
    throw new AppError(404, 'not_found');
  }

  return holder;
}
