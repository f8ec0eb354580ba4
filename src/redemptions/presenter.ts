import type { TFunction } from 'i18next';

import { Language } from '../i18n';
import { OfferRow } from '../offers/repository';
import { formatDate, formatDateTime } from '../time';
import { formatVoucherCode } from '../vouchers/repository';
import { formatMoney } from '../web/format';
import { RedemptionRow } from './redeem';
import { Holder, Verdict } from './verify';

function relationOf(holder: Holder): string {
  return holder.dependant ? holder.dependant.relation : 'member';
}

function benefitOf(offer: OfferRow) {
  return { kind: offer.benefit_kind, value: offer.benefit_value };
}

/** The verdict as the partner API returns it: minimum personal data, stable codes. */
export function verdictJson(verdict: Verdict, t: TFunction) {
  const holder = verdict.holder;

  return {
    verdict: verdict.verdict,
    reason: verdict.reason,
    message: verdict.reason ? t(`reason.${verdict.reason}`) : null,
    kind: verdict.kind,
    holder:
      holder && verdict.reason !== 'malformed'
        ? {
            name: holder.name,
            nameAr: holder.nameAr,
            relation: relationOf(holder),
            memberName: holder.dependant ? `${holder.member.first_name} ${holder.member.last_name}` : null,
            memberNumber: holder.member.number,
            validUntil: holder.validUntil,
          }
        : null,
    voucher: verdict.voucher
      ? {
          code: formatVoucherCode(verdict.voucher.code),
          usesLeft: verdict.voucher.max_uses - verdict.voucher.uses,
          validUntil: verdict.voucher.expires_on,
        }
      : null,
    offers: verdict.offers.map(({ offer, remaining }) => ({
      id: offer.id,
      title: offer.title_fr,
      titleAr: offer.title_ar,
      category: offer.category,
      benefit: benefitOf(offer),
      voucherRequired: offer.voucher_required,
      remaining,
    })),
    lastUse: verdict.lastUse
      ? { at: verdict.lastUse.at.toISOString(), partner: verdict.lastUse.partnerName }
      : null,
  };
}

/** A redemption as the partner API returns it. */
export function redemptionJson(redemption: RedemptionRow) {
  return {
    id: redemption.id,
    reference: redemption.reference,
    offerId: redemption.offer_id,
    grossCents: redemption.gross_cents,
    discountCents: redemption.discount_cents,
    netCents: redemption.gross_cents - redemption.discount_cents,
    occurredAt: new Date(redemption.occurred_at).toISOString(),
    businessDate: redemption.business_date,
  };
}

/** Describes an offer's benefit in words, e.g. "10 %" or "200,00 MAD". */
export function benefitLabel(offer: OfferRow, lang: Language): string {
  switch (offer.benefit_kind) {
    case 'percent':
      return lang === 'ar' ? `${offer.benefit_value}٪` : `${offer.benefit_value} %`;
    case 'amount':
      return formatMoney(offer.benefit_value, lang);
    case 'free':
      return lang === 'ar' ? 'مجانا' : 'Offert';
  }
}

/** The verdict as the portal and the public page show it. */
export function verdictView(verdict: Verdict, lang: Language, t: TFunction) {
  const holder = verdict.holder;
  const showHolder = holder !== null && verdict.reason !== 'malformed';
  const memberName = holder ? `${holder.member.first_name} ${holder.member.last_name}` : '';
  const lastUse = verdict.lastUse;

  return {
    valid: verdict.verdict === 'valid',
    reason: verdict.reason,
    reasonText: verdict.reason ? t(`reason.${verdict.reason}`) : null,
    nextStep: verdict.reason ? t(`nextStep.${verdict.reason}`) : null,
    holder: showHolder
      ? {
          name: lang === 'ar' && holder.nameAr ? holder.nameAr : holder.name,
          otherName: lang === 'ar' ? holder.name : holder.nameAr,
          relation: holder.dependant
            ? t(`verdict.relation.${holder.dependant.relation}`, { member: memberName })
            : null,
          memberNumber: holder.member.number,
          validUntil: holder.validUntil ? formatDate(holder.validUntil, lang) : null,
        }
      : null,
    voucherCode: verdict.voucher ? formatVoucherCode(verdict.voucher.code) : null,
    offers: verdict.offers.map(({ offer, remaining }) => ({
      id: offer.id,
      title: lang === 'ar' ? offer.title_ar : offer.title_fr,
      benefit: benefitLabel(offer, lang),
      remaining,
      usable: remaining !== 0,
    })),
    lastUse: lastUse
      ? lastUse.partnerName
        ? t('verdict.lastUse', { date: formatDateTime(lastUse.at, lang), partner: lastUse.partnerName })
        : t('verdict.lastUseElsewhere', { date: formatDateTime(lastUse.at, lang) })
      : null,
  };
}
