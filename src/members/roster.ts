/**
 * Reading the club's member rosters: CSV or XLSX files in French, Arabic or English layouts,
 * turned into normalised members plus every problem found, with no database involved.
 */
import { missingRequiredFields, resolveColumns, type ResolvedColumns } from './roster/columns';
import { todayIsoDate } from './roster/dates';
import * as messages from './roster/messages';
import { FieldColumns, readRow } from './roster/read-row';
import { cellToText, readTable, type TableRow, type UnreadableFile } from './roster/read-table';
import type {
  ColumnMapping,
  RosterField,
  RosterParseOptions,
  RosterParseResult,
  RosterProblem,
  RosterRow,
} from './roster/types';

export { recogniseColumns } from './roster/columns';
export { rosterTemplateCsv } from './roster/template';
export { ROSTER_FIELDS } from './roster/types';
export type {
  BilingualMessage,
  ColumnMapping,
  RosterColumn,
  RosterField,
  RosterParseOptions,
  RosterParseResult,
  RosterProblem,
  RosterProblemCode,
  RosterRow,
} from './roster/types';

/**
 * Parses a roster file (CSV in UTF-8, `;`/`,`/tab separated, or the first sheet of an XLSX) into
 * valid members and the problems of the others. Never throws on a bad file: everything wrong is
 * a problem with a stable code and a French and Arabic message, and a row with any problem is
 * left out of `rows`. Throws `TypeError` only on misuse (no Buffer, unknown field in mapping).
 */
export async function parseRoster(
  file: Buffer,
  options: RosterParseOptions,
): Promise<RosterParseResult> {
  if (!Buffer.isBuffer(file)) throw new TypeError('parseRoster expects the file as a Buffer');

  const table = await readTable(file, options.filename);
  if (!table.ok) return { columns: [], rows: [], problems: [fileProblem(table)] };

  const mapping = options.mapping ?? {};
  const headerIndex = findHeaderRow(table.rows, mapping);
  const headers = table.rows[headerIndex]?.cells.map(cellToText) ?? [];
  const resolved = resolveColumns(headers, mapping);
  const problems = columnProblems(resolved);

  const missing = missingRequiredFields(resolved.columns);
  if (missing.length > 0) {
    const recognised = resolved.columns.flatMap(({ header, field }) =>
      field ? [{ header, field }] : [],
    );
    problems.push({
      rowNumber: null,
      code: 'columns_unrecognised',
      message: messages.columnsUnrecognised(missing, recognised),
    });

    return { columns: resolved.columns, rows: [], problems };
  }

  const members = table.rows.slice(headerIndex + 1);
  const { rows, problems: rowProblems } = readRows(members, new FieldColumns(resolved.columns));

  return { columns: resolved.columns, rows, problems: [...problems, ...rowProblems] };
}

function columnProblems(resolved: ResolvedColumns): RosterProblem[] {
  return [
    ...resolved.unmatchedMappingKeys.map((header) => ({
      rowNumber: null,
      column: header,
      code: 'mapping_header_missing' as const,
      message: messages.mappingHeaderMissing(header),
    })),
    ...resolved.duplicates.map(({ header, keptHeader }) => ({
      rowNumber: null,
      column: header,
      code: 'column_duplicate' as const,
      message: messages.columnDuplicate(header, keptHeader),
    })),
  ];
}

// How far down a title block above the header may reach.
const HEADER_SEARCH_ROWS = 10;

/**
 * Index of the header among the first rows: the first row in which the most columns are
 * recognised (or mapped), so that a title such as "Liste des adhérents 2026" above it is skipped.
 */
function findHeaderRow(rows: readonly TableRow[], mapping: ColumnMapping): number {
  let best = 0;
  let bestCount = 0;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((row, index) => {
    const { columns } = resolveColumns(row.cells.map(cellToText), mapping);
    const count = columns.filter((column) => column.field !== null).length;
    if (count > bestCount) [best, bestCount] = [index, count];
  });

  return best;
}

// Anything but white space and invisible format characters (LRM, zero-width space…).
const VISIBLE = /[^\s\p{Cf}]/u;

function readRows(
  members: readonly TableRow[],
  columns: FieldColumns,
): { rows: RosterRow[]; problems: RosterProblem[] } {
  const today = todayIsoDate();
  const rows: RosterRow[] = [];
  const problems: RosterProblem[] = [];
  const firstRowOfCin = new Map<string, number>();
  const firstRowOfMembershipNumber = new Map<string, number>();
  const usedIndexes = columns.allIndexes();

  for (const source of members) {
    // CASE: a numbering column or a stray note, with every member column empty, is not a member.
    const isBlank = usedIndexes.every((i) => !VISIBLE.test(cellToText(source.cells[i] ?? null)));
    if (isBlank) continue;

    const reading = readRow(source, columns, today);
    const rowProblems = [...reading.problems];
    const rowNumber = source.rowNumber;

    const cinFirstRow = firstRowOf(firstRowOfCin, reading.cin, rowNumber);
    if (reading.cin !== undefined && cinFirstRow !== undefined) {
      rowProblems.push(duplicateProblem(rowNumber, columns, 'cin', reading.cin, cinFirstRow));
    }

    const number = reading.membershipNumber;
    const numberFirstRow = firstRowOf(firstRowOfMembershipNumber, number, rowNumber);
    if (number !== undefined && numberFirstRow !== undefined) {
      const field = 'membershipNumber';
      rowProblems.push(duplicateProblem(rowNumber, columns, field, number, numberFirstRow));
    }

    problems.push(...rowProblems);
    if (reading.row && rowProblems.length === 0) rows.push(reading.row);
  }

  return { rows, problems };
}

/** The row that first held a value, remembering this row when it is the first. */
function firstRowOf(
  firstRows: Map<string, number>,
  value: string | undefined,
  rowNumber: number,
): number | undefined {
  if (value === undefined) return undefined;

  const firstRow = firstRows.get(value);
  if (firstRow === undefined) firstRows.set(value, rowNumber);

  return firstRow;
}

function duplicateProblem(
  rowNumber: number,
  columns: FieldColumns,
  field: Extract<RosterField, 'cin' | 'membershipNumber'>,
  value: string,
  firstRow: number,
): RosterProblem {
  const isCin = field === 'cin';

  return {
    rowNumber,
    column: columns.headerOf(field) ?? '',
    code: isCin ? 'cin_duplicate' : 'membership_number_duplicate',
    value,
    message: isCin
      ? messages.cinDuplicate(rowNumber, value, firstRow)
      : messages.membershipNumberDuplicate(rowNumber, value, firstRow),
  };
}

function fileProblem(unreadable: UnreadableFile): RosterProblem {
  const message = {
    file_unsupported: messages.fileUnsupported,
    file_unreadable: () =>
      messages.fileUnreadable(unreadable.line, unreadable.quoteNotClosed === true),
    encoding_invalid: messages.encodingInvalid,
    file_empty: messages.fileEmpty,
  }[unreadable.code]();

  const detail = unreadable.detail === undefined ? {} : { detail: unreadable.detail };

  return { rowNumber: null, code: unreadable.code, message, ...detail };
}
