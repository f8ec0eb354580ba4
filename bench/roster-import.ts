/**
 * `npm run bench:import [members]`: imports a generated roster of new members (10,000 unless
 * given), as CSV then as XLSX, into the benchmark's database (see bench/database.ts; run
 * `npm run bench:data` first so that every row is checked against a quarter of a million stored
 * members). Each import is timed end to end: reading the file, checking every row against the
 * file and the database, and writing the members; a dry run first times the checks alone.
 */
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';

import ExcelJS from 'exceljs';

import { importRoster } from '../src/members/import';
import { openBenchDatabase } from './database';

const PROVINCES = ['Guelmim', 'Laayoune', 'Tan Tan', 'كلميم', '10.261', 'Casablanca', 'Kenitra'];
const HEADERS = [
  'Nom', 'Prénom', 'Nom en arabe', 'CIN', 'Date de naissance', 'Téléphone', 'E-mail',
  'Administration', 'Province de travail', 'Province de résidence',
];

/** A CIN prefix of two letters no earlier run is likely to have used, so every member is new. */
function runPrefix(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const [first, second] = crypto.randomBytes(2);

  return letters[first % 26] + letters[second % 26];
}

function member(prefix: string, i: number): string[] {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  const phone = `06${String(90_000_000 + i * 7).slice(-8)}`;

  return [
    `Benali${i}`, 'Fatima Zahra', 'فاطمة الزهراء بنعلي', `${prefix}${String(i).padStart(6, '0')}`,
    `${day}/${month}/19${60 + (i % 40)}`, phone, `membre${i}@exemple.ma`,
    'Délégation de la santé',
    PROVINCES[i % PROVINCES.length],
    PROVINCES[(i + 3) % PROVINCES.length],
  ];
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const bench = await openBenchDatabase();
  try {
    for (const format of ['csv', 'xlsx'] as const) {
      const prefix = runPrefix();
      const rows = [HEADERS, ...Array.from({ length: count }, (_, i) => member(prefix, i))];
      let file: Buffer;
      if (format === 'csv') {
        file = Buffer.from(`\uFEFF${rows.map((cells) => cells.join(';')).join('\r\n')}\r\n`);
      } else {
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('Adhérents');
        rows.forEach((cells) => sheet.addRow(cells));
        file = Buffer.from(await workbook.xlsx.writeBuffer());
      }

      for (const dryRun of [true, false]) {
        const started = performance.now();
        const outcome = await importRoster(bench.db, file, {
          filename: `roster.${format}`,
          dryRun,
          actor: 'bench',
          now: new Date(),
        });
        const seconds = (performance.now() - started) / 1000;
        const what = dryRun ? 'checked (dry run)' : 'imported';
        const verdict = dryRun ? '' : `; target ≤ 30 s: ${seconds <= 30 ? 'PASS' : 'FAIL'}`;
        process.stdout.write(
          `${format.toUpperCase()}, ${count} rows, ${(file.length / 1024).toFixed(0)} KiB: ` +
            `${what} in ${seconds.toFixed(1)} s; ${outcome.created} new members, ` +
            `${outcome.problems.length} problems${verdict}\n`,
        );
        if (outcome.problems.length > 0) {
          const first = JSON.stringify(outcome.problems[0]);
          throw new Error(`the generated roster has problems: ${first}`);
        }
      }
    }
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
