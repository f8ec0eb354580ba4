import { cleanText, foldKey } from './text';
import {
  ROSTER_FIELDS,
  type BilingualMessage,
  type ColumnMapping,
  type RosterColumn,
  type RosterField,
} from './types';

/** How a field is named to the club's secretary, and in the downloadable template. */
export const FIELD_LABELS: Readonly<Record<RosterField, BilingualMessage>> = {
  membershipNumber: { fr: 'N° adhérent', ar: 'رقم الانخراط' },
  lastName: { fr: 'Nom', ar: 'الاسم العائلي' },
  firstName: { fr: 'Prénom', ar: 'الاسم الشخصي' },
  fullNameLatin: { fr: 'Nom complet', ar: 'الاسم الكامل بالحروف اللاتينية' },
  fullNameArabic: { fr: 'Nom en arabe', ar: 'الاسم الكامل' },
  cin: { fr: 'CIN', ar: 'رقم البطاقة الوطنية' },
  birthDate: { fr: 'Date de naissance', ar: 'تاريخ الازدياد' },
  phone: { fr: 'Téléphone', ar: 'الهاتف' },
  email: { fr: 'E-mail', ar: 'البريد الإلكتروني' },
  employer: { fr: 'Administration', ar: 'الإدارة' },
  workProvince: { fr: 'Province de travail', ar: 'إقليم العمل' },
  residenceProvince: { fr: 'Province de résidence', ar: 'إقليم الإقامة' },
  validFrom: { fr: "Début d'adhésion", ar: 'بداية الانخراط' },
  validTo: { fr: "Fin d'adhésion", ar: 'نهاية الانخراط' },
};

// Headers seen in the club's and the administrations' own spreadsheets, in French, Arabic and
// English. They are compared after foldKey, so case, accents, spaces and punctuation don't count.
const HEADER_ALIASES: Readonly<Record<RosterField, readonly string[]>> = {
  membershipNumber: [
    'N° adhérent', "N° d'adhérent", 'Numéro adhérent', "Numéro d'adhérent", 'Num adhérent',
    'N° adhésion', "Numéro d'adhésion", 'Code adhérent', 'Matricule', 'N° matricule',
    'Membership number', 'Membership no', 'Member number', 'Member no', 'Member ID',
    'رقم الانخراط', 'رقم المنخرط', 'رقم العضوية',
  ],
  lastName: [
    'Nom', 'Nom de famille', 'Nom latin', 'Nom en latin', 'Last name', 'Lastname', 'Surname',
    'Family name', 'الاسم العائلي', 'النسب',
  ],
  firstName: [
    'Prénom', 'Prénoms', 'Prénom latin', 'Prénom en latin', 'First name', 'Firstname',
    'Given name', 'الاسم الشخصي',
  ],
  fullNameLatin: [
    'Nom complet', 'Nom et prénom', 'Nom et prénoms', 'Nom & prénom', 'Nom prénom',
    'Prénom et nom', 'Prénom nom', 'Nom complet latin', 'Full name', 'Name',
    'الاسم الكامل بالفرنسية', 'الاسم الكامل بالحروف اللاتينية', 'الاسم بالحروف اللاتينية',
  ],
  fullNameArabic: [
    'الاسم الكامل', 'الاسم والنسب', 'الاسم الكامل بالعربية', 'الاسم بالعربية', 'Nom en arabe',
    'Nom arabe', 'Nom complet en arabe', 'Nom complet arabe', 'Nom et prénom en arabe',
    'Full name Arabic', 'Full name in Arabic', 'Arabic name', 'Name in Arabic',
  ],
  cin: [
    'CIN', 'N° CIN', 'Numéro CIN', 'CNIE', 'N° CNIE', "Carte d'identité", "N° carte d'identité",
    'Carte nationale', 'N° carte nationale', 'National ID', 'National ID number', 'ID number',
    'رقم البطاقة الوطنية', 'البطاقة الوطنية', 'رقم بطاقة التعريف الوطنية',
  ],
  birthDate: [
    'Date de naissance', 'Date naissance', 'Né le', 'Née le', 'Né(e) le', 'DDN', 'Birth date',
    'Birthdate', 'Date of birth', 'DOB', 'تاريخ الازدياد', 'تاريخ الميلاد', 'تاريخ الولادة',
  ],
  phone: [
    'Téléphone', 'Tél', 'GSM', 'N° GSM', 'Portable', 'Mobile', 'N° de téléphone',
    'Numéro de téléphone', 'N° tél', 'Phone', 'Phone number', 'Mobile phone', 'Telephone',
    'الهاتف', 'رقم الهاتف', 'الهاتف المحمول',
  ],
  email: [
    'Email', 'E-mail', 'Mail', 'Courriel', 'Adresse email', 'Adresse e-mail',
    'Adresse électronique', 'Email address', 'البريد الإلكتروني',
  ],
  employer: [
    'Administration', "Administration d'affectation", 'Employeur', 'Organisme',
    'Organisme employeur', 'Établissement', 'Ministère', 'Employer', 'Organisation',
    'Organization', 'الإدارة', 'المشغل', 'الجهة المشغلة', 'الوزارة',
  ],
  // A lone "Province" means the province of work: membership follows the post, and the
  // residence province is optional.
  workProvince: [
    'Province de travail', 'Province travail', "Province d'affectation", 'Lieu de travail',
    'Province', 'Préfecture ou province', 'Work province', 'Province of work', 'إقليم العمل',
    'عمالة أو إقليم العمل', 'الإقليم',
  ],
  residenceProvince: [
    'Province de résidence', 'Province résidence', 'Lieu de résidence', 'Residence province',
    'Province of residence', 'Home province', 'إقليم الإقامة', 'إقليم السكن',
  ],
  validFrom: [
    "Début d'adhésion", 'Début adhésion', 'Date début adhésion', "Date d'adhésion", 'Valide du',
    'Valable du', 'Début de validité', 'Date de début', 'Valid from', 'Start date',
    'Membership start', 'بداية الانخراط', 'تاريخ الانخراط', 'صالح من',
  ],
  validTo: [
    "Fin d'adhésion", 'Fin adhésion', 'Date fin adhésion', "Valide jusqu'au",
    "Valable jusqu'au", 'Fin de validité', 'Date de fin', "Date d'expiration", 'Valid to',
    'Valid until', 'End date', 'Expiry date', 'Membership end', 'نهاية الانخراط', 'صالح إلى',
    'صالح حتى',
  ],
};

const FIELD_BY_KEY = new Map<string, RosterField>(
  ROSTER_FIELDS.flatMap((field) => HEADER_ALIASES[field].map((alias) => [foldKey(alias), field])),
);

// Full-name headers that announce the given name first; the others ("Nom complet", "Nom et
// prénom", Arabic ones) follow the administrative order, family name first.
const GIVEN_NAME_FIRST = new Set(['Prénom et nom', 'Prénom nom', 'Full name', 'Name'].map(foldKey));

/** Fields a roster cannot do without: the Latin names go on the card, whose payload is ASCII. */
const REQUIRED_FIELDS: readonly RosterField[] = ['cin', 'workProvince'];

function fieldOfHeader(header: string): RosterField | null {
  const exact = FIELD_BY_KEY.get(foldKey(header));
  if (exact) return exact;

  // CASE: "Date de naissance (jj/mm/aaaa)", "Téléphone [GSM]": the bracket only explains.
  const withoutNotes = header.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');

  return FIELD_BY_KEY.get(foldKey(withoutNotes)) ?? null;
}

/**
 * Finds the field each header feeds, without any help from the admin. A field fed by two
 * columns keeps the first; the later ones are ignored (`field: null`).
 */
export function recogniseColumns(headers: readonly string[]): RosterColumn[] {
  return resolveColumns(headers, {}).columns;
}

/** Columns resolved from the headers and an admin's mapping, with what went wrong doing it. */
export interface ResolvedColumns {
  columns: RosterColumn[];
  /** Headers of later columns that repeat a field, with the header that keeps it. */
  duplicates: { header: string; field: RosterField; keptHeader: string }[];
  /** Mapping keys that match no header of the file. */
  unmatchedMappingKeys: string[];
}

/**
 * Applies the admin's mapping over automatic recognition. A mapped column claims its field
 * before any recognised one, so mapping "Colonne 3" to `cin` beats a stray "CIN" header.
 */
export function resolveColumns(
  headers: readonly string[],
  mapping: ColumnMapping,
): ResolvedColumns {
  const mappedByKey = new Map<string, RosterField | null>();
  for (const [header, field] of Object.entries(mapping)) {
    if (field !== null && !(ROSTER_FIELDS as readonly string[]).includes(field)) {
      throw new TypeError(`Unknown roster field in mapping: ${String(field)}`);
    }
    mappedByKey.set(foldKey(header), field);
  }

  const candidates = headers.map((rawHeader) => {
    const header = cleanText(rawHeader);
    const key = foldKey(header);
    const mapped = mappedByKey.has(key);
    const field = mapped ? (mappedByKey.get(key) ?? null) : fieldOfHeader(header);

    return { header, key, mapped, field: header === '' ? null : field };
  });

  const owner = new Map<RosterField, number>();
  for (const pass of [true, false]) {
    candidates.forEach((candidate, index) => {
      if (candidate.mapped === pass && candidate.field && !owner.has(candidate.field)) {
        owner.set(candidate.field, index);
      }
    });
  }

  const columns = candidates.map(({ header, field }, index): RosterColumn => ({
    header,
    field: field !== null && owner.get(field) === index ? field : null,
  }));
  const duplicates = candidates.flatMap(({ header, field }, index) => {
    const ownerIndex = field === null ? undefined : owner.get(field);
    if (field === null || ownerIndex === undefined || ownerIndex === index) return [];

    return [{ header, field, keptHeader: candidates[ownerIndex]?.header ?? '' }];
  });

  const usedKeys = new Set(candidates.filter((c) => c.mapped).map((c) => c.key));
  const unmatchedMappingKeys = Object.keys(mapping).filter(
    (header) => !usedKeys.has(foldKey(header)),
  );

  return { columns, duplicates, unmatchedMappingKeys };
}

/**
 * Required fields with no column. For the names, either "Nom complet" or both "Nom" and
 * "Prénom" will do; when neither is there the missing halves are named.
 */
export function missingRequiredFields(columns: readonly RosterColumn[]): RosterField[] {
  const present = new Set(columns.map((column) => column.field));
  const missing: RosterField[] = [];
  if (!present.has('fullNameLatin')) {
    if (!present.has('lastName')) missing.push('lastName');
    if (!present.has('firstName')) missing.push('firstName');
  }

  return [...missing, ...REQUIRED_FIELDS.filter((field) => !present.has(field))];
}

/** Whether a full-name header puts the given name first ("Prénom et nom", "Full name"). */
export function givenNameComesFirst(header: string): boolean {
  return GIVEN_NAME_FIRST.has(foldKey(header));
}
