import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import { Knex } from 'knex';

// Morocco's 2015 territorial division (HCP codes) and the 2024 census population per region.
const DATA_DIR = path.join(__dirname, '../src/reference/data');

function readCsv(name: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(DATA_DIR, name)), { columns: true, bom: true });
}

export async function up(knex: Knex): Promise<void> {
  const population = new Map(
    readCsv('regions_population_2024.csv').map((row) => [row.code, Number(row.population_2024)]),
  );
  await knex('regions').insert(
    readCsv('regions.csv').map((row) => ({
      code: row.code,
      name_fr: row.name_fr,
      name_ar: row.name_ar,
      capital_fr: row.capital_fr,
      capital_ar: row.capital_ar,
      population_2024: population.get(row.code),
    })),
  );
  await knex('provinces').insert(
    readCsv('provinces.csv').map((row) => ({
      code: row.code,
      region_code: row.region_code,
      name_fr: row.name_fr,
      name_ar: row.name_ar,
      kind: row.kind,
    })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('provinces').del();
  await knex('regions').del();
}
