import type ExcelJS from 'exceljs';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';

/** A cell as the file holds it: CSV gives text; XLSX also gives numbers and real dates. */
export type Cell = string | number | Date | null;

/** One non-blank row of the sheet. */
export interface TableRow {
  /** Row number as the spreadsheet shows it. */
  rowNumber: number;
  cells: Cell[];
}

/** The non-blank rows of the first sheet of a file, header included. */
export interface Table {
  ok: true;
  rows: TableRow[];
}

/** Why a file could not be read at all. */
export interface UnreadableFile {
  ok: false;
  code: 'file_unsupported' | 'file_unreadable' | 'encoding_invalid' | 'file_empty';
  /** Line of the file where the parser stopped, when it says so; shown to the admin. */
  line?: number;
  /** Whether a quote opened in the file is never closed. */
  quoteNotClosed?: boolean;
  /** What the parser said, in English: for the log, never for the page. */
  detail?: string;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// Legacy .xls and other OLE2 compound documents.
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);

/** Reads the non-blank rows of a CSV file or of the first sheet of an XLSX file. */
export async function readTable(file: Buffer, filename: string): Promise<Table | UnreadableFile> {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  if (file.length === 0) return { ok: false, code: 'file_empty' };

  if (['xls', 'ods', 'numbers'].includes(extension) || file.subarray(0, 4).equals(OLE_MAGIC)) {
    return { ok: false, code: 'file_unsupported' };
  }

  const grid = file.subarray(0, 4).equals(ZIP_MAGIC) ? await readXlsx(file) : readCsv(file);
  if (!Array.isArray(grid)) return grid;

  const rows = grid.filter((row) => !isBlankRow(row.cells));

  return rows.length === 0 ? { ok: false, code: 'file_empty' } : { ok: true, rows };
}

function isBlankRow(cells: readonly Cell[]): boolean {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

/** Plain text of a cell; a date cell becomes `YYYY-MM-DD`. */
export function cellToText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);

  return String(cell);
}

function decodeText(file: Buffer): string | UnreadableFile {
  if (file.subarray(0, 2).equals(UTF16LE_BOM)) {
    // CASE: Excel's "Texte Unicode" export: UTF-16 little-endian, tab-separated.
    return file.subarray(2).toString('utf16le');
  }

  const body = file.subarray(0, 3).equals(UTF8_BOM) ? file.subarray(3) : file;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // NOTE: Excel's plain "CSV" export writes Windows-1252 or -1256 depending on the PC. Guessing
    // would silently garble Arabic names, so the secretary is asked for "CSV UTF-8" instead.
    return { ok: false, code: 'encoding_invalid' };
  }
}

function readCsv(file: Buffer): TableRow[] | UnreadableFile {
  const text = decodeText(file);
  if (typeof text !== 'string') return text;

  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: unknown }).lines;

      return {
        ok: false,
        code: 'file_unreadable',
        ...(typeof line === 'number' && line > 0 ? { line } : {}),
        ...(error.code === 'CSV_QUOTE_NOT_CLOSED' ? { quoteNotClosed: true } : {}),
        detail: error.message,
      };
    }
    throw error;
  }

  // One record is one spreadsheet row, even when a quoted cell spans several lines.
  return records.map((cells, index) => ({ rowNumber: index + 1, cells }));
}

/**
 * Picks `;`, `,` or tab from the first non-blank line, counting outside quotes: French Excel
 * writes `;` because the comma is its decimal mark; other tools write `,`.
 */
function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let quoted = false;
  for (const character of firstLine) {
    const count = counts.get(character);
    if (character === '"') quoted = !quoted;
    else if (!quoted && count !== undefined) counts.set(character, count + 1);
  }

  let best = ',';
  for (const [delimiter, count] of counts) {
    if (count > (counts.get(best) ?? 0)) best = delimiter;
  }

  return best;
}

async function readXlsx(file: Buffer): Promise<TableRow[] | UnreadableFile> {
  // Loaded on first use: exceljs is the heaviest module of the app and slows every start.
  const { Workbook } = require('exceljs') as typeof import('exceljs');
  const workbook = new Workbook();
  try {
    // exceljs types its argument as an ArrayBuffer look-alike; at run time it takes a Buffer.
    await workbook.xlsx.load(file as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    return { ok: false, code: 'file_unreadable', detail: (error as Error).message };
  }

  const sheet = workbook.worksheets.find((worksheet) => worksheet !== undefined);
  if (!sheet) return { ok: false, code: 'file_empty' };

  const grid: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // row.values is 1-based: index 0 is always empty.
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    grid.push({ rowNumber, cells: Array.from(values, excelValueToCell) });
  });

  return grid;
}

function excelValueToCell(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);

  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  // CASE: an e-mail typed in Excel becomes a hyperlink cell; its text is the address.
  if ('hyperlink' in value) return excelValueToCell(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) {
    return excelValueToCell(value.result as ExcelJS.CellValue);
  }
  if ('error' in value) return value.error;

  return null;
}
