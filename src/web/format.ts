import { Language } from '../i18n';

const moneyFormats = new Map<Language, Intl.NumberFormat>();

/** Formats centimes of MAD for a reader: `1 234,50 MAD` in French, Arabic layout in Arabic. */
export function formatMoney(cents: number, lang: Language): string {
  let format = moneyFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'ar' ? 'ar-MA' : 'fr-MA', {
      style: 'currency',
      currency: 'MAD',
      minimumFractionDigits: 2,
    });
    moneyFormats.set(lang, format);
  }

  return format.format(cents / 100);
}

/** Formats a count or a figure for a reader. */
export function formatNumber(value: number, lang: Language): string {
  return new Intl.NumberFormat(lang === 'ar' ? 'ar-MA' : 'fr-MA').format(value);
}

const EASTERN_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

/** Turns Arabic-Indic and Persian digits into Western ones. */
export function westernDigits(text: string): string {
  return text.replace(EASTERN_DIGITS, (digit) => String(digit.charCodeAt(0) & 0xf));
}

/** The largest gross amount one redemption may record: 1,000,000 MAD. */
export const MAX_GROSS_CENTS = 100_000_000;

/**
 * Reads an amount of MAD as typed at a counter — `250`, `250,5`, `250.50`, `1 250,00`,
 * `1.250,00` (as the portal prints it), `250 MAD`, or in Arabic-Indic digits — into centimes.
 * Returns null for anything else, and for zero or more than MAX_GROSS_CENTS.
 */
export function parseMadAmount(text: string): number | null {
  const compact = westernDigits(String(text))
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/(MAD|DH|DHS|درهم)$/i, '');
  const plain = /^(\d{1,7})(?:[.,٫](\d{1,2}))?$/.exec(compact);
  const grouped = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?$/.exec(compact);
  const match = plain ?? grouped;
  if (!match) {
    return null;
  }

  const [, whole, fraction = ''] = match;
  const cents = Number(whole.replace(/\./g, '')) * 100 + Number(fraction.padEnd(2, '0'));

  return cents > 0 && cents <= MAX_GROSS_CENTS ? cents : null;
}
