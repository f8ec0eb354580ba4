import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

import { Cell, exportCell, ReportTable } from './table';

/**
 * Characters that make a spreadsheet read a text cell as a formula (or split it). Such a cell
 * gets a leading apostrophe, the convention spreadsheets show as plain text. Only text cells:
 * a negative number stays a number, so numeric columns still add up.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for a spreadsheet; numbers pass unchanged. */
export function neutralise(value: Cell): Cell {
  if (typeof value === 'string' && FORMULA_START.test(value)) {
    return `'${value}`;
  }

  return value;
}

function exportRows(table: ReportTable): Cell[][] {
  const lines = table.total ? [...table.rows, table.total] : table.rows;

  return lines.map((row) => table.columns.map((column) => exportCell(row[column.key] ?? null, column.kind)));
}

/** The table as CSV for Excel: UTF-8 with a byte order mark (so Arabic shows), CRLF lines. */
export function tableCsv(table: ReportTable): string {
  return (
    '\ufeff' +
    stringify([table.columns.map((column) => column.label), ...exportRows(table)].map((row) => row.map(neutralise)), {
      record_delimiter: '\r\n',
    })
  );
}

/** The table as an XLSX workbook: numbers as numbers, money with two decimals. */
export async function tableXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  sheet.addRow(table.columns.map((column) => column.label)).font = { bold: true };
  for (const row of exportRows(table)) {
    // Text is written as a string cell, never as a formula, so `=…` shows as typed and runs
    // nothing; no apostrophe is needed (it would show).
    sheet.addRow(row);
  }
  table.columns.forEach((column, index) => {
    const sheetColumn = sheet.getColumn(index + 1);
    sheetColumn.width = column.kind === 'text' ? 28 : 16;
    if (column.kind === 'money') {
      sheetColumn.numFmt = '#,##0.00';
    }
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a report table as a CSV or XLSX download. */
export async function sendTable(res: Response, table: ReportTable, format: 'csv' | 'xlsx'): Promise<void> {
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8');
    res.attachment(`${table.name}.csv`);
    res.send(tableCsv(table));

    return;
  }

  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.attachment(`${table.name}.xlsx`);
  res.send(await tableXlsx(table));
}
