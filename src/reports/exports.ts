import type { Response } from 'express';

import type { ColumnType, ExportTable } from './export';
import { ColumnKind, ReportTable } from './table';

const EXPORT_TYPE: Record<ColumnKind, ColumnType> = {
  text: 'text',
  count: 'integer',
  money: 'money',
  decimal: 'number',
};

/** A report table in the export module's terms; the total line, if any, comes last. */
function exportTable(table: ReportTable): ExportTable {
  return {
    columns: table.columns.map((column) => ({
      key: column.key,
      header: column.label,
      type: EXPORT_TYPE[column.kind],
    })),
    rows: table.total ? [...table.rows, table.total] : table.rows,
  };
}

/**
 * Sends a report table as a CSV (Excel's French layout, UTF-8 with BOM) or XLSX download,
 * formula-like text made inert by the export module; an Arabic reader gets a right-to-left sheet.
 */
export async function sendTable(
  res: Response,
  table: ReportTable,
  format: 'csv' | 'xlsx',
  options: { rtl: boolean },
): Promise<void> {
  // Loaded on first export: the spreadsheet writer takes seconds to load, and a start need not wait.
  const { toCsv, toXlsx } = require('./export') as typeof import('./export');
  // The file is made before any header is set: a failure then gets an error page, never an
  // error page saved under a spreadsheet's name.
  if (format === 'csv') {
    const csv = toCsv(exportTable(table));
    res.type('text/csv; charset=utf-8');
    res.attachment(`${table.name}.csv`);
    res.send(csv);

    return;
  }

  const xlsx = await toXlsx(exportTable(table), { sheetName: table.name, rtl: options.rtl });
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.attachment(`${table.name}.xlsx`);
  res.send(xlsx);
}
