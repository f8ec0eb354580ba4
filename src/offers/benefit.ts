export type BenefitKind = 'percent' | 'amount' | 'free';

/**
 * The discount, in centimes, that an offer gives on a gross amount. Percentages round to the
 * nearest centime; a fixed amount never exceeds the gross; a free service is wholly discounted.
 */
export function discountCents(kind: BenefitKind, value: number, grossCents: number): number {
  switch (kind) {
    case 'percent':
      return Math.round((grossCents * value) / 100);
    case 'amount':
      return Math.min(value, grossCents);
    case 'free':
      return grossCents;
  }
}
