import { stringify } from 'csv-stringify/sync';

import { Queryable } from '../db';
import { AppError } from '../errors';
import { BenefitKind } from './benefit';
import { OfferRow } from './repository';

/** The seven families of offers the club negotiates, in the order members see them. */
export const OFFER_CATEGORIES = [
  'health',
  'medical',
  'medicines',
  'housing_transport',
  'holidays',
  'sports_leisure',
  'culture_education',
] as const;

export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

export function isOfferCategory(value: unknown): value is OfferCategory {
  return typeof value === 'string' && (OFFER_CATEGORIES as readonly string[]).includes(value);
}

export interface CatalogueOffer extends OfferRow {
  partner_code: string;
  partner_name: string;
  partner_name_ar: string | null;
  partner_province_code: string;
  partner_region_code: string;
}

/** A query of offers (`o`) with their partner (`p`) and its region, in offer id order. */
export function offersWithPartners(db: Queryable) {
  return db('offers as o')
    .join('partners as p', 'p.id', 'o.partner_id')
    .join('provinces as v', 'v.code', 'p.province_code')
    .select(
      'o.*',
      'p.code as partner_code',
      'p.display_name as partner_name',
      'p.display_name_ar as partner_name_ar',
      'p.province_code as partner_province_code',
      'v.region_code as partner_region_code',
    )
    .orderBy('o.id');
}

/** Offers with their partner, optionally of one partner (by code), in id order. */
export async function listOffers(
  db: Queryable,
  filter: { partnerCode?: string } = {},
): Promise<CatalogueOffer[]> {
  if (filter.partnerCode !== undefined) {
    const partner = await db('partners').where({ code: filter.partnerCode }).first('id');
    if (!partner) {
      throw new AppError(404, 'partner_not_found');
    }
  }

  const query = offersWithPartners(db);
  if (filter.partnerCode !== undefined) {
    query.where('p.code', filter.partnerCode);
  }

  return query;
}

/** A benefit in plain, language-neutral words for exports: `10%`, `200.00 MAD`, `free`. */
export function benefitText(kind: BenefitKind, value: number): string {
  switch (kind) {
    case 'percent':
      return `${value}%`;
    case 'amount':
      return `${(value / 100).toFixed(2)} MAD`;
    case 'free':
      return 'free';
  }
}

/** The limits of an offer in words: `4 per month`, `quota 500`, or `none`. */
export function limitsText(offer: OfferRow): string {
  const parts: string[] = [];
  if (offer.limit_count !== null && offer.limit_period !== null) {
    parts.push(
      offer.limit_period === 'lifetime'
        ? `${offer.limit_count} per lifetime`
        : `${offer.limit_count} per ${offer.limit_period}`,
    );
  }
  if (offer.voucher_required) {
    parts.push(`${offer.voucher_uses} use(s) per voucher`);
  }
  if (offer.quota !== null) {
    parts.push(`quota ${offer.quota}`);
  }

  return parts.length > 0 ? parts.join('; ') : 'none';
}

/** The offers as CSV for admins and outside checks: one row per offer. */
export function offersCsv(offers: CatalogueOffer[]): string {
  return stringify(
    offers.map((offer) => [
      offer.id,
      offer.partner_code,
      offer.title_fr,
      benefitText(offer.benefit_kind, offer.benefit_value),
      offer.voucher_required ? 'yes' : 'no',
      limitsText(offer),
    ]),
    {
      header: true,
      columns: ['id', 'partner_code', 'title', 'benefit', 'voucher_needed', 'limits'],
    },
  );
}
