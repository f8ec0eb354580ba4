import { Queryable } from '../../src/db';
import { OfferRow } from '../../src/offers/repository';

/**
 * Inserts an offer of a demo partner for a test: by default a card-only 10 % offer of the
 * Guelmim pharmacy, open since 2025, with no limit. Overrides set any column.
 */
export async function buildOffer(
  db: Queryable,
  overrides: Partial<OfferRow> & { partnerCode?: string } = {},
): Promise<OfferRow> {
  const { partnerCode = 'PH-GLM-01', ...columns } = overrides;
  const partner = await db('partners').where({ code: partnerCode }).first('id');
  const [offer] = await db('offers')
    .insert({
      partner_id: partner.id,
      title_fr: 'Offre de test',
      title_ar: 'عرض تجريبي',
      category: 'health',
      benefit_kind: 'percent',
      benefit_value: 10,
      scope: 'region',
      valid_from: '2025-01-01',
      valid_to: null,
      voucher_required: false,
      dependants_eligible: true,
      limit_count: null,
      limit_period: null,
      ...columns,
    })
    .returning('*');

  return offer;
}
