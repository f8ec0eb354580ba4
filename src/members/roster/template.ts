import { FIELD_LABELS } from './columns';
import type { RosterField } from './types';

// The template lists the family and given names apart ("Nom complet" is the fallback for files
// that have only one name column), so it omits fullNameLatin.
const TEMPLATE: readonly [RosterField, string][] = [
  ['membershipNumber', '000123'],
  ['lastName', 'EL AMRANI'],
  ['firstName', 'Fatima Zahra'],
  ['fullNameArabic', 'فاطمة الزهراء العمراني'],
  ['cin', 'JB123456'],
  ['birthDate', '14/03/1985'],
  // Written with spaces so that Excel keeps it as text and does not drop the leading zero.
  ['phone', '06 12 34 56 78'],
  ['email', 'fatima.elamrani@exemple.ma'],
  ['employer', 'Délégation provinciale de la santé'],
  ['workProvince', 'Guelmim'],
  ['residenceProvince', 'Guelmim'],
  ['validFrom', '01/01/2026'],
  ['validTo', '31/12/2026'],
];

function csvCell(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The roster template offered for download: CSV in UTF-8 with a BOM (so Excel shows accents and
 * Arabic), `;`-separated and CRLF as French Excel expects, the French headers `parseRoster`
 * recognises, and one example member.
 */
export function rosterTemplateCsv(): Buffer {
  const header = TEMPLATE.map(([field]) => csvCell(FIELD_LABELS[field].fr)).join(';');
  const example = TEMPLATE.map(([, value]) => csvCell(value)).join(';');

  return Buffer.from(`\uFEFF${header}\r\n${example}\r\n`, 'utf8');
}
