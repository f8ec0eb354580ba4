import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';

import { issueCard } from '../../src/cards/service';
import { signedInClubUser } from '../support/club';
import { insertRandomRedemptions, seededRandom } from '../support/redemptions';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

const HOSTILE_NAMES = ['=HYPERLINK("http://x.test","y")', '+1+2', '-3+4', '@SUM(A1)', '\tTab', '\rCR'];
const RANGE = 'from=2026-01-01&to=2026-12-31';

beforeAll(async () => {
  runtime = await createTestRuntime();
  const db = runtime.ctx.db;
  await issueCard(runtime.ctx, { memberNumber: '100001', now: new Date('2026-12-03T12:00:00Z') });
  // Partners whose names a spreadsheet would read as formulas, with redemptions of their own.
  const template = await db('partners').where({ code: 'PH-GLM-01' }).first();
  const offer = await db('offers').where({ partner_id: template.id }).first();
  for (const [index, name] of HOSTILE_NAMES.entries()) {
    const [partner] = await db('partners')
      .insert({ ...template, id: undefined, code: `X-${index}`, display_name: name, legal_name: name })
      .returning('id');
    await db('offers').insert({ ...offer, id: undefined, partner_id: partner.id, category: name });
  }
  await insertRandomRedemptions(db, { count: 600, year: 2026, random: seededRandom(42) });
});

afterAll(() => runtime.close());


describe('report exports', () => {
  it('writes formula-like names as inert text in CSV, with a BOM, and numbers that still add up', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const response = await agent.get(`/admin/reports?${RANGE}&province=10.261&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.text.charCodeAt(0)).toBe(0xfeff);

    // Excel's French layout: `;` between fields, `,` as the decimal mark.
    const rows: string[][] = parse(response.text, { bom: true, delimiter: ';' });
    const amount = (text: string) => Number(text.replace(',', '.'));
    const body = rows.slice(1, -1);
    const names = body.map((row) => row[1]);
    for (const name of HOSTILE_NAMES) {
      expect(names).toContain(`'${name}`);
    }
    for (const row of rows.slice(1)) {
      expect(row[1]).not.toMatch(/^[=+\-@\t\r]/);
    }
    // Redemptions and money columns are plain numbers, and the lines add up to the total line.
    const total = rows[rows.length - 1];
    for (const column of [2, 3, 4]) {
      const sum = body.reduce((acc, row) => acc + amount(row[column]), 0);
      expect(body.every((row) => /^-?\d+(,\d+)?$/.test(row[column]))).toBe(true);
      expect(sum).toBeCloseTo(amount(total[column]), 2);
    }
    expect(amount(total[2])).toBeGreaterThan(0);
  });

  it('writes them as text cells in XLSX, never formulas, with numeric cells that sum', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const response = await agent
      .get(`/admin/reports?${RANGE}&province=10.261&format=xlsx`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body);
    const sheet = workbook.worksheets[0];
    const names: unknown[] = [];
    let redemptions = 0;
    let discount = 0;
    sheet.eachRow((row, number) => {
      if (number === 1 || number === sheet.rowCount) {
        return;
      }
      names.push(row.getCell(2).value);
      expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
      expect(typeof row.getCell(3).value).toBe('number');
      redemptions += row.getCell(3).value as number;
      discount += row.getCell(5).value as number;
    });
    // XML stores a carriage return as a line feed: the text is otherwise kept as typed.
    for (const name of HOSTILE_NAMES) {
      expect(names).toContain(name.replace(/\r/g, '\n'));
    }
    const total = sheet.getRow(sheet.rowCount);
    expect(redemptions).toBe(total.getCell(3).value);
    expect(discount).toBeCloseTo(total.getCell(5).value as number, 2);
  });
});
