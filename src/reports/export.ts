/**
 * Report tables as downloadable CSV and XLSX files. Both are safe to open in a spreadsheet:
 * text that looks like a formula stays inert text, while numeric columns stay real numbers
 * that can be summed. Money arrives as integer centimes and leaves as MAD with two decimals.
 */
import { stringify } from 'csv-stringify/sync';

/** How a column's values are typed, validated and written. */
export type ColumnType = 'text' | 'number' | 'integer' | 'money' | 'date';

/** One column of an exported table; `key` names the property read from each row. */
export interface ExportColumn {
  key: string;
  header: string;
  type: ColumnType;
}

/**
 * A table ready for export. Values per column type: `text` any string (numbers and booleans
 * are stringified); `number` a finite number or a decimal string (PostgreSQL `numeric`);
 * `integer` a safe integer, bigint or digit string (PostgreSQL `bigint`/`count`); `money`
 * integer centimes as number, bigint or digit string; `date` a calendar day as `YYYY-MM-DD`.
 * `null`, `undefined` and `''` are empty cells in every type.
 */
export interface ExportTable {
  columns: readonly ExportColumn[];
  rows: readonly Record<string, unknown>[];
}

/**
 * `excel-fr` (the default): `;` between fields, `,` as decimal mark and dates as DD/MM/YYYY.
 * Excel splits a double-clicked CSV on the list separator of the Windows regional settings,
 * which is `;` in French locales, where it also only reads `12,34` as a number; a `,`-separated
 * file opens as one column of text there. We do not write a `sep=;` first line instead: Excel
 * then ignores the BOM and garbles Arabic, and every other CSV reader sees a bogus first row.
 * `rfc4180`: `,` and `.` and ISO dates, for other programs and for English-locale Excel.
 */
export type CsvDialect = 'excel-fr' | 'rfc4180';

/** Options of {@link toCsv}. */
export interface CsvOptions {
  dialect?: CsvDialect;
}

/** Options of {@link toXlsx}. */
export interface XlsxOptions {
  /** Worksheet tab name; characters Excel forbids are replaced and it is cut to 31. */
  sheetName: string;
  /** Right-to-left sheet (column A on the right), for Arabic reports. */
  rtl?: boolean;
}

type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'money'; centimes: bigint }
  | { kind: 'date'; year: number; month: number; day: number };

const EMPTY: Cell = { kind: 'empty' };
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DIGITS = /^-?\d+$/;
const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

// A cell starting with one of these is run as a formula (or DDE command) by Excel, LibreOffice
// or Google Sheets; Apple Numbers also folds the full-width forms into the ASCII ones.
// OWASP "CSV Injection": prefix such cells with an apostrophe so they are shown as text.
const FORMULA_TRIGGER = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Makes a text cell inert in spreadsheets by prefixing formula-like text with `'`. */
export function neutraliseFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

function misuse(column: ExportColumn, row: number, expected: string, value: unknown): TypeError {
  // Only the value's type: the value itself may be a member's personal data, and this message
  // ends up in the logs.
  const got = value instanceof Date ? 'a Date' : `a ${typeof value}`;

  return new TypeError(
    `export column ${column.key} (${column.type}), row ${row}: expected ${expected}, got ${got}`,
  );
}

function toCell(column: ExportColumn, row: number, value: unknown): Cell {
  if (value === null || value === undefined || value === '') {
    return EMPTY;
  }

  switch (column.type) {
    case 'text':
      if (typeof value === 'string') {
        return { kind: 'text', text: value };
      }
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
        return { kind: 'text', text: String(value) };
      }
      throw misuse(column, row, 'a string', value);

    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) {
        return { kind: 'number', value };
      }
      if (typeof value === 'string' && DECIMAL.test(value)) {
        return { kind: 'number', value: Number(value) };
      }
      throw misuse(column, row, 'a finite number', value);

    case 'integer': {
      const integer = toBigInt(value);
      if (integer === undefined || !Number.isSafeInteger(Number(integer))) {
        throw misuse(column, row, 'a safe integer', value);
      }

      return { kind: 'number', value: Number(integer) };
    }

    case 'money': {
      const centimes = toBigInt(value);
      if (centimes === undefined) {
        throw misuse(column, row, 'integer centimes', value);
      }

      return { kind: 'money', centimes };
    }

    case 'date':
      return toDateCell(column, row, value);
  }
}

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') {
    return value;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return BigInt(value);
  }
  if (typeof value === 'string' && DIGITS.test(value)) {
    return BigInt(value);
  }

  return undefined;
}

function toDateCell(column: ExportColumn, row: number, value: unknown): Cell {
  // An instant (a JS Date) has no calendar day until it is placed in Africa/Casablanca, and
  // that needs the app's own zone data (Node's bundled tzdata is out of date for Morocco), so
  // the presenter converts and hands us the club's business day.
  const match = typeof value === 'string' ? CALENDAR_DAY.exec(value) : null;
  if (match === null) {
    throw misuse(column, row, 'a calendar day as YYYY-MM-DD', value);
  }

  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw misuse(column, row, 'an existing calendar day', value);
  }

  return { kind: 'date', year, month, day };
}

function toCells(table: ExportTable): Cell[][] {
  return table.rows.map((row, index) =>
    table.columns.map((column) => toCell(column, index + 1, row[column.key])),
  );
}

/** Centimes as MAD with exactly two decimals, without going through floating point. */
function formatMoney(centimes: bigint, decimalMark: string): string {
  const sign = centimes < 0n ? '-' : '';
  const absolute = centimes < 0n ? -centimes : centimes;
  const fraction = String(absolute % 100n).padStart(2, '0');

  return `${sign}${absolute / 100n}${decimalMark}${fraction}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function csvField(cell: Cell, dialect: CsvDialect): string {
  const decimalMark = dialect === 'excel-fr' ? ',' : '.';
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return neutraliseFormula(cell.text);
    case 'number':
      // Numbers are written bare, minus sign included: they are not formulas, and a prefixed
      // "'-5" would turn them into text that no longer sums.
      return String(cell.value).replace('.', decimalMark);
    case 'money':
      return formatMoney(cell.centimes, decimalMark);
    case 'date':
      return dialect === 'excel-fr'
        ? `${two(cell.day)}/${two(cell.month)}/${cell.year}`
        : `${cell.year}-${two(cell.month)}-${two(cell.day)}`;
  }
}

/**
 * Writes a table as CSV: UTF-8 with a byte order mark (without it Excel reads the file as
 * Windows-1252 and Arabic turns into mojibake), CRLF line ends and RFC 4180 quoting, in the
 * {@link CsvDialect} chosen (`excel-fr` by default). Text cells, headers included, that start
 * like a formula get a leading `'`; numeric, money and date cells are written as plain values.
 * Throws a `TypeError` naming the column and row when a value does not fit its column type.
 */
export function toCsv(table: ExportTable, options: CsvOptions = {}): Buffer {
  const dialect = options.dialect ?? 'excel-fr';
  const header = table.columns.map((column) => neutraliseFormula(column.header));
  const body = toCells(table).map((cells) => cells.map((cell) => csvField(cell, dialect)));
  const csv = stringify([header, ...body], {
    bom: true,
    delimiter: dialect === 'excel-fr' ? ';' : ',',
    record_delimiter: 'windows',
  });

  return Buffer.from(csv, 'utf8');
}

const NUMBER_FORMATS: Record<ColumnType, string> = {
  // '@' keeps a text cell text even after someone edits it in Excel, so a stored "=1+1" does
  // not become a live formula on the next Enter key.
  text: '@',
  number: 'General',
  integer: '0',
  money: '0.00',
  date: 'dd/mm/yyyy',
};

function xlsxValue(cell: Cell): string | number | Date | null {
  switch (cell.kind) {
    case 'empty':
      return null;
    case 'text':
      // XML turns a bare CR in cell text into LF on reading, and Excel breaks lines in a cell
      // on LF, so every line end is written as LF. (exceljs itself drops the C0 controls that
      // XML cannot carry at all.)
      return cell.text.replace(/\r\n?/g, '\n');
    case 'number':
      return cell.value;
    case 'money':
      // Exact to the centime while |centimes| < 2^53, i.e. up to about 90 trillion MAD.
      return Number(cell.centimes) / 100;
    case 'date':
      return new Date(Date.UTC(cell.year, cell.month - 1, cell.day));
  }
}

function displayLength(cell: Cell): number {
  switch (cell.kind) {
    case 'empty':
      return 0;
    case 'text':
      return Math.max(...cell.text.split(/\r?\n|\r/).map((line) => Array.from(line).length));
    case 'number':
      return String(cell.value).length;
    case 'money':
      return formatMoney(cell.centimes, '.').length;
    case 'date':
      return 10;
  }
}

/** A tab name Excel accepts: none of `[]:*?/\`, no leading or trailing `'`, 1 to 31 chars. */
function safeSheetName(name: string): string {
  const cleaned = Array.from(
    name
      .replace(/[[\]:*?/\\]/g, '-')
      .replace(/^'+|'+$/g, '')
      .trim(),
  )
    .slice(0, 31)
    .join('')
    .trim();
  if (cleaned === '') {
    return 'Export';
  }

  // Excel reserves "History" for its change-tracking sheet.
  return cleaned.toLowerCase() === 'history' ? `${cleaned}-1` : cleaned;
}

/**
 * Writes a table as an XLSX workbook with one sheet: a bold, frozen header row with filters,
 * real numbers in numeric columns (money in MAD with a `0.00` format), real dates, and text
 * cells stored as strings only, so a value like `=HYPERLINK(…)` is shown, never evaluated
 * (line ends in text become LF, the spreadsheet line break).
 * Column widths follow the content. Throws a `TypeError` like {@link toCsv} for bad values.
 */
export async function toXlsx(table: ExportTable, options: XlsxOptions): Promise<Buffer> {
  const cells = toCells(table);
  // Loaded on first use: exceljs is the heaviest module of the app and slows every start.
  const { Workbook } = require('exceljs') as typeof import('exceljs');
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(safeSheetName(options.sheetName), {
    views: [{ state: 'frozen', ySplit: 1, rightToLeft: options.rtl === true }],
  });

  sheet.columns = table.columns.map((column, index) => {
    const longest = Math.max(
      Array.from(column.header).length,
      ...cells.map((row) => displayLength(row[index] ?? EMPTY)),
    );

    return {
      key: column.key,
      width: Math.min(Math.max(longest + 2, 8), 60),
      style: { numFmt: NUMBER_FORMATS[column.type] },
    };
  });

  const header = sheet.addRow(table.columns.map((column) => column.header));
  header.font = { bold: true };
  for (const row of cells) {
    sheet.addRow(row.map(xlsxValue));
  }
  if (table.columns.length > 0) {
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1, column: table.columns.length },
    };
  }

  const written = await workbook.xlsx.writeBuffer();

  return Buffer.from(written as unknown as ArrayBuffer);
}
