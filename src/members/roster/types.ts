/** Every member attribute a roster column can feed, in the order the template lists them. */
export const ROSTER_FIELDS = [
  'membershipNumber',
  'lastName',
  'firstName',
  'fullNameLatin',
  'fullNameArabic',
  'cin',
  'birthDate',
  'phone',
  'email',
  'employer',
  'workProvince',
  'residenceProvince',
  'validFrom',
  'validTo',
] as const;

/** A member attribute that a roster column can feed. */
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** Hand-made mapping from a header, as written in the file, to a field (`null` ignores it). */
export type ColumnMapping = Readonly<Record<string, RosterField | null>>;

/** One column of the file and the field it feeds, `null` when it is ignored. */
export interface RosterColumn {
  header: string;
  field: RosterField | null;
}

/** One member read from the file, normalised and valid. */
export interface RosterRow {
  /** Row number as the spreadsheet shows it: the header is row 1. */
  rowNumber: number;
  membershipNumber?: string;
  firstNameLatin: string;
  lastNameLatin: string;
  fullNameArabic?: string;
  /** Upper-case letters then Western digits, no spaces, e.g. `AB123456`. */
  cin: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  /** E.164, e.g. `+212612345678`. */
  phone?: string;
  /** Lower-cased. */
  email?: string;
  employer?: string;
  /** HCP code of the province or préfecture, e.g. `10.261`. */
  workProvinceCode: string;
  residenceProvinceCode?: string;
  /** `YYYY-MM-DD`. */
  validFrom?: string;
  /** `YYYY-MM-DD`. */
  validTo?: string;
}

/** Stable codes of the problems a roster can have; callers branch on these, never on messages. */
export type RosterProblemCode =
  | 'file_unsupported'
  | 'file_unreadable'
  | 'encoding_invalid'
  | 'file_empty'
  | 'columns_unrecognised'
  | 'column_duplicate'
  | 'mapping_header_missing'
  | 'required_missing'
  | 'name_incomplete'
  | 'cin_invalid'
  | 'cin_duplicate'
  | 'membership_number_invalid'
  | 'membership_number_duplicate'
  | 'text_invalid'
  | 'date_invalid'
  | 'date_out_of_range'
  | 'date_range_invalid'
  | 'phone_invalid'
  | 'email_invalid'
  | 'province_unknown';

/** A message shown to the club's secretary, in both of the club's languages. */
export interface BilingualMessage {
  fr: string;
  ar: string;
}

/** Something wrong with the file (`rowNumber` null) or with one cell or row. */
export interface RosterProblem {
  rowNumber: number | null;
  /** Header of the column at fault, as written in the file. */
  column?: string;
  code: RosterProblemCode;
  /** The offending value, as read. */
  value?: string;
  message: BilingualMessage;
  /** What a file reader said, in English: for the log only, never shown. */
  detail?: string;
}

/** What a roster file holds: its columns, its valid members, and every problem found. */
export interface RosterParseResult {
  columns: RosterColumn[];
  rows: RosterRow[];
  problems: RosterProblem[];
}

/** Options of `parseRoster`. */
export interface RosterParseOptions {
  /** Name of the uploaded file; its extension tells CSV from XLSX. */
  filename: string;
  /**
   * Headers the admin mapped by hand (compared like recognised headers: case, accents, spaces
   * and punctuation aside); they win over automatic recognition.
   */
  mapping?: ColumnMapping;
}
