import { givenNameComesFirst } from './columns';
import { parseRosterDate } from './dates';
import {
  normaliseCin,
  normaliseEmail,
  normaliseMembershipNumber,
  normalisePhone,
} from './identity';
import * as messages from './messages';
import { splitFullName } from './names';
import { matchProvince } from './provinces';
import { cellToText, type Cell, type TableRow } from './read-table';
import { cleanText, isArabicScript } from './text';
import type {
  BilingualMessage,
  RosterColumn,
  RosterField,
  RosterProblem,
  RosterProblemCode,
  RosterRow,
} from './types';

/** Where each recognised field sits in a row. */
export class FieldColumns {
  private readonly indexes = new Map<RosterField, number>();

  constructor(private readonly columns: readonly RosterColumn[]) {
    columns.forEach((column, index) => {
      if (column.field) this.indexes.set(column.field, index);
    });
  }

  /** Column index of a field, if a column feeds it. */
  indexOf(field: RosterField): number | undefined {
    return this.indexes.get(field);
  }

  /** Header of the column that feeds a field, as written in the file. */
  headerOf(field: RosterField): string | undefined {
    const index = this.indexes.get(field);

    return index === undefined ? undefined : this.columns[index]?.header;
  }

  /** Indexes of every column that feeds a field. */
  allIndexes(): number[] {
    return [...this.indexes.values()];
  }
}

/** A row read and checked on its own; duplicates across rows are the caller's business. */
export interface RowReading {
  /** Present only when the row has no problem. */
  row?: RosterRow;
  problems: RosterProblem[];
  /** The normalised CIN and membership number, when valid, for duplicate checks. */
  cin?: string;
  membershipNumber?: string;
}

const EARLIEST_BIRTH_DATE = '1900-01-01';

// C0 controls and DEL, except tab and line breaks: Excel puts a line break in a cell on
// Alt+Enter, and `cleanText` turns those into one space. Invisible bidi controls
// (U+202A–U+202E, U+2066–U+2069) are format characters that `cleanText` drops: Arabic cells
// pasted from Word or a phone carry them, and refusing them would reject names the secretary
// cannot see anything wrong with.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

// Free-text cells that end up on cards, pages and exports.
const TEXT_FIELDS: readonly RosterField[] = [
  'lastName', 'firstName', 'fullNameLatin', 'fullNameArabic', 'employer',
];

// Collects one row's values and problems; each read* function handles one field or group.
class RowReader {
  readonly problems: RosterProblem[] = [];
  readonly rowNumber: number;

  constructor(
    private readonly source: TableRow,
    private readonly columns: FieldColumns,
  ) {
    this.rowNumber = source.rowNumber;
  }

  cell(field: RosterField): Cell {
    const index = this.columns.indexOf(field);

    return index === undefined ? null : (this.source.cells[index] ?? null);
  }

  text(field: RosterField): string {
    return cleanText(cellToText(this.cell(field)));
  }

  header(field: RosterField): string | undefined {
    return this.columns.headerOf(field);
  }

  report(
    field: RosterField,
    code: RosterProblemCode,
    message: BilingualMessage,
    value?: string,
  ): void {
    const column = this.header(field);
    this.problems.push({
      rowNumber: this.rowNumber,
      ...(column === undefined ? {} : { column }),
      code,
      ...(value === undefined || value === '' ? {} : { value }),
      message,
    });
  }
}

/** Reads one row into a member, reporting every problem it has. */
export function readRow(source: TableRow, columns: FieldColumns, today: string): RowReading {
  const reader = new RowReader(source, columns);
  checkControlCharacters(reader);
  const names = readNames(reader);
  const cin = readCin(reader);
  const birthDate = readBirthDate(reader, today);
  const phone = readChecked(reader, 'phone', normalisePhone, 'phone_invalid');
  const email = readChecked(reader, 'email', normaliseEmail, 'email_invalid');
  const workProvinceCode = readProvince(reader, 'workProvince', true);
  const residenceProvinceCode = readProvince(reader, 'residenceProvince', false);
  const validity = readValidity(reader);
  const membershipNumber = readChecked(
    reader, 'membershipNumber', normaliseMembershipNumber, 'membership_number_invalid',
  );
  const employer = reader.text('employer') || undefined;

  const reading: RowReading = {
    problems: reader.problems,
    ...(cin === undefined ? {} : { cin }),
    ...(membershipNumber === undefined ? {} : { membershipNumber }),
  };
  if (reader.problems.length > 0 || !names.latin || !cin || !workProvinceCode) return reading;

  // Absent values are left out rather than set to undefined, so rows compare and serialise cleanly.
  const row: RosterRow = {
    rowNumber: source.rowNumber,
    ...(membershipNumber && { membershipNumber }),
    firstNameLatin: names.latin.firstName,
    lastNameLatin: names.latin.lastName,
    ...(names.arabic && { fullNameArabic: names.arabic }),
    cin,
    ...(birthDate && { birthDate }),
    ...(phone && { phone }),
    ...(email && { email }),
    ...(employer && { employer }),
    workProvinceCode,
    ...(residenceProvinceCode && { residenceProvinceCode }),
    ...(validity.from && { validFrom: validity.from }),
    ...(validity.to && { validTo: validity.to }),
  };

  return { ...reading, row };
}

interface Names {
  latin?: { lastName: string; firstName: string };
  arabic?: string;
}

/**
 * Sorts the name cells by script: an Arabic value in any name column feeds the Arabic full name,
 * a Latin value in the Arabic column stands in for a Latin full name. Latin names are required
 * because the card's signed payload, which carries the display name, is ASCII.
 */
function readNames(reader: RowReader): Names {
  let lastName = reader.text('lastName');
  let firstName = reader.text('firstName');
  let full = reader.text('fullNameLatin');
  let fullField: RosterField = 'fullNameLatin';
  let arabicFull = reader.text('fullNameArabic');
  const arabicParts: string[] = [];

  if (isArabicScript(firstName)) [arabicParts[0], firstName] = [firstName, ''];
  if (isArabicScript(lastName)) [arabicParts[1], lastName] = [lastName, ''];
  if (isArabicScript(full)) [arabicFull, full] = [arabicFull || full, ''];
  if (arabicFull && !isArabicScript(arabicFull)) {
    if (!full) [full, fullField] = [arabicFull, 'fullNameArabic'];
    arabicFull = '';
  }

  // Arabic lists give the personal name before the family name.
  const arabic = arabicFull || arabicParts.filter(Boolean).join(' ') || undefined;
  const names: Names = arabic ? { arabic } : {};
  if (lastName && firstName) return { ...names, latin: { lastName, firstName } };

  if (full) {
    const split = splitFullName(full, givenNameComesFirst(reader.header(fullField) ?? ''));
    if (!split) {
      const message = messages.nameIncomplete(reader.rowNumber, full);
      reader.report(fullField, 'name_incomplete', message, full);
    }

    return split ? { ...names, latin: split } : names;
  }

  if (lastName || firstName) {
    const field = lastName ? 'firstName' : 'lastName';
    reader.report(field, 'required_missing', messages.requiredMissing(reader.rowNumber, field));
  } else {
    const field = reader.header('lastName') === undefined ? 'fullNameLatin' : 'lastName';
    reader.report(field, 'required_missing', messages.latinNameMissing(reader.rowNumber));
  }

  return names;
}

// CASE: a NUL byte or an escape in a name comes from a broken export; it is refused rather than
// stored, since PostgreSQL rejects NUL and the others garble cards and exports.
function checkControlCharacters(reader: RowReader): void {
  for (const field of TEXT_FIELDS) {
    if (CONTROL_CHARACTER.test(cellToText(reader.cell(field)))) {
      reader.report(field, 'text_invalid', messages.textInvalid(reader.rowNumber, field));
    }
  }
}

function readCin(reader: RowReader): string | undefined {
  const text = reader.text('cin');
  const rowNumber = reader.rowNumber;
  if (!text) {
    reader.report('cin', 'required_missing', messages.requiredMissing(rowNumber, 'cin'));

    return undefined;
  }

  const cin = normaliseCin(text);
  if (!cin) reader.report('cin', 'cin_invalid', messages.cinInvalid(rowNumber, text), text);

  return cin ?? undefined;
}

function readDate(reader: RowReader, field: RosterField): string | undefined {
  const text = reader.text(field);
  if (!text) return undefined;

  const date = parseRosterDate(reader.cell(field));
  if (!date) {
    reader.report(field, 'date_invalid', messages.dateInvalid(reader.rowNumber, field, text), text);
  }

  return date ?? undefined;
}

function readBirthDate(reader: RowReader, today: string): string | undefined {
  const date = readDate(reader, 'birthDate');
  if (date && (date < EARLIEST_BIRTH_DATE || date > today)) {
    const text = reader.text('birthDate');
    const message = messages.birthDateOutOfRange(reader.rowNumber, text);
    reader.report('birthDate', 'date_out_of_range', message, text);

    return undefined;
  }

  return date;
}

function readValidity(reader: RowReader): { from?: string; to?: string } {
  const from = readDate(reader, 'validFrom');
  const to = readDate(reader, 'validTo');
  if (from && to && to < from) {
    const [fromText, toText] = [reader.text('validFrom'), reader.text('validTo')];
    const message = messages.dateRangeInvalid(reader.rowNumber, fromText, toText);
    reader.report('validTo', 'date_range_invalid', message, toText);
  }

  return { from, to };
}

const CHECKED_MESSAGES = {
  membership_number_invalid: messages.membershipNumberInvalid,
  phone_invalid: messages.phoneInvalid,
  email_invalid: messages.emailInvalid,
};

// An optional cell that must have a given form when it is filled in.
function readChecked(
  reader: RowReader,
  field: RosterField,
  normalise: (text: string) => string | null,
  code: keyof typeof CHECKED_MESSAGES,
): string | undefined {
  const text = reader.text(field);
  if (!text) return undefined;

  const value = normalise(text);
  if (value === null) {
    reader.report(field, code, CHECKED_MESSAGES[code](reader.rowNumber, text), text);
  }

  return value ?? undefined;
}

function readProvince(
  reader: RowReader,
  field: 'workProvince' | 'residenceProvince',
  required: boolean,
): string | undefined {
  const text = reader.text(field);
  const rowNumber = reader.rowNumber;
  if (!text) {
    if (required) {
      reader.report(field, 'required_missing', messages.requiredMissing(rowNumber, field));
    }

    return undefined;
  }

  const match = matchProvince(text);
  if (match.found) return match.province.code;

  const message = messages.provinceUnknown(rowNumber, field, text, match.suggestion);
  reader.report(field, 'province_unknown', message, text);

  return undefined;
}
