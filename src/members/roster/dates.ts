import type { Cell } from './read-table';
import { toWesternDigits } from './text';

// Day first, as in Morocco: 14/03/1985, 4-3-1985, 14.03.1985; a time Excel appends is ignored.
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YEAR_FIRST = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/;
const TIME_SUFFIX = /[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?$/;

// Excel's serial day 0 is 1899-12-30 once its fictitious 29 February 1900 is accounted for.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const LAST_EXCEL_SERIAL = 2_958_465; // 9999-12-31

/**
 * Reads a date cell: a real Excel date, an Excel serial number, or text in `dd/mm/yyyy`,
 * `d/m/yyyy`, `dd-mm-yyyy` or `yyyy-mm-dd`. Returns `YYYY-MM-DD`, or `null` when the text is
 * not a date or names a day that does not exist (31/02/1990).
 */
export function parseRosterDate(cell: Cell): string | null {
  if (cell instanceof Date) {
    // exceljs gives the cell's calendar day at 00:00 UTC, whatever the server's zone.
    return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  }

  if (typeof cell === 'number') {
    // CASE: a date column whose cells lost their date format shows serial numbers (31120).
    if (!Number.isInteger(cell) || cell < 1 || cell > LAST_EXCEL_SERIAL) return null;

    return new Date(EXCEL_EPOCH_MS + cell * DAY_MS).toISOString().slice(0, 10);
  }

  const text = toWesternDigits(cell ?? '').trim().replace(TIME_SUFFIX, '');
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) return isoDate(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));

  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) return isoDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));

  return null;
}

function isoDate(year: number, month: number, day: number): string | null {
  // Years before 1000 cannot be written as yyyy without leading zeros, and Date.UTC would read
  // 0099 as 1999.
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;

  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;

  return `${year}-${pad(month)}-${pad(day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Today's date as `YYYY-MM-DD` in UTC. */
export function todayIsoDate(now: Date = new Date()): string {
  // Morocco has been on UTC+00 since 2026-09-20, so the UTC date is the club's date; before that
  // it could lag by one day for an hour, which does not matter for judging a birth date.
  return now.toISOString().slice(0, 10);
}
