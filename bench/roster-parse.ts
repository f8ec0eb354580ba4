// Times parseRoster on a generated 10,000-member roster, as CSV and as XLSX:
//   npx tsx bench/roster-parse.ts [members]
import ExcelJS from 'exceljs';

import { parseRoster } from '../src/members/roster';

const PROVINCES = ['Guelmim', 'Laayoune', 'Tan Tan', 'كلميم', '10.261', 'Casablanca', 'Kenitra'];
const HEADERS = [
  'N° adhérent', 'Nom', 'Prénom', 'Nom en arabe', 'CIN', 'Date de naissance', 'Téléphone',
  'E-mail', 'Administration', 'Province de travail', 'Province de résidence',
];

function member(i: number): string[] {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');

  return [
    `N-${i}`, `NOM${i}`, 'Fatima Zahra', 'فاطمة الزهراء', `AB${100000 + i}`,
    `${day}/${month}/19${60 + (i % 40)}`, `06 ${String(10000000 + i).replace(/(\d\d)(?=\d)/g, '$1 ')}`,
    `membre${i}@exemple.ma`, 'Délégation de la santé', PROVINCES[i % PROVINCES.length] ?? '',
    PROVINCES[(i + 3) % PROVINCES.length] ?? '',
  ];
}

async function time(label: string, file: Buffer, filename: string): Promise<void> {
  const start = process.hrtime.bigint();
  const result = await parseRoster(file, { filename });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label}: ${result.rows.length} rows, ${result.problems.length} problems, `
    + `${ms.toFixed(0)} ms (${(file.length / 1024).toFixed(0)} KiB)`);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const members = Array.from({ length: count }, (_, i) => member(i));

  const csv = [HEADERS, ...members].map((cells) => cells.join(';')).join('\r\n');
  await time('CSV', Buffer.from(`\uFEFF${csv}\r\n`), 'roster.csv');

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Adhérents');
  sheet.addRow(HEADERS);
  members.forEach((cells) => sheet.addRow(cells));
  await time('XLSX', Buffer.from(await workbook.xlsx.writeBuffer()), 'roster.xlsx');
}

void main();
