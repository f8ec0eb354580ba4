import { Language } from '../i18n';
import { formatMoney, formatNumber } from '../web/format';

/** How a column's values read: money is centimes of MAD, shown and exported as MAD. */
export type ColumnKind = 'text' | 'count' | 'money' | 'decimal';

export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;

/**
 * A report table as data, before any format: the page, the CSV and the XLSX files all show
 * these same rows and columns, so an export never disagrees with the screen.
 */
export interface ReportTable {
  /** File name without extension. */
  name: string;
  columns: ReportColumn[];
  rows: Record<string, Cell>[];
  /** An optional total line, in the same columns. */
  total?: Record<string, Cell>;
}

/** One cell as a reader sees it on the page. */
export function displayCell(value: Cell, kind: ColumnKind, lang: Language): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'string') {
    return value;
  }

  switch (kind) {
    case 'money':
      return formatMoney(value, lang);
    case 'count':
    case 'decimal':
      return formatNumber(value, lang);
    default:
      return String(value);
  }
}

/** The table laid out for a template: header cells, then lines of display cells. */
export function presentTable(table: ReportTable, lang: Language) {
  const line = (row: Record<string, Cell>) =>
    table.columns.map((column) => ({
      text: displayCell(row[column.key], column.kind, lang),
      numeric: column.kind !== 'text',
      link: typeof row[`${column.key}Href`] === 'string' ? row[`${column.key}Href`] : null,
    }));

  return {
    columns: table.columns.map((column) => ({ label: column.label, numeric: column.kind !== 'text' })),
    rows: table.rows.map(line),
    total: table.total ? line(table.total) : null,
  };
}
