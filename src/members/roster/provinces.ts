import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse as parseCsv } from 'csv-parse/sync';

import { foldKey, toWesternDigits } from './text';

/** A prefecture or province of the 2015 division, as in the reference data. */
export interface Province {
  code: string;
  regionCode: string;
  nameFr: string;
  nameAr: string;
}

/** The province a cell names, or the one it was probably meant to name. */
export type ProvinceMatch =
  | { found: true; province: Province }
  | { found: false; suggestion?: Province };

const PROVINCES_CSV = path.join(__dirname, '../../reference/data/provinces.csv');

// Spellings in common use that folding alone does not reach: older transliterations, the
// chief town's name for a province named otherwise (Agadir, Dakhla, Temara), and Arabic short
// forms. Keyed by HCP code.
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  '01.511': ['Tanger', 'Tangier', 'Tangiers', 'Tanja', 'Assilah', 'Asilah', 'طنجة', 'أصيلة'],
  '01.573': ["M'diq", 'Fnideq', 'المضيق', 'الفنيدق'],
  '01.571': ['Tetuan'],
  '01.227': ['Anjra'],
  '01.051': ['Hoceima', 'El Hoceima', 'Alhucemas'],
  '01.151': ['Chaouen', 'Chefchaouene', 'Xauen'],
  '01.405': ['Ouazzane', 'Wazzan'],
  '02.411': ['Oujda', 'وجدة'],
  '02.275': ['Jrada'],
  '02.265': ['Guersif'],
  '02.251': ['Figig'],
  '03.231': ['Fez'],
  '03.171': ['Hajeb'],
  '03.591': ['Moulay Yaacoub', 'Moulay Yaqoub'],
  '04.501': ['Temara', 'Skhirat', 'Skhirate', 'Skhirat-Temara', 'تمارة', 'الصخيرات'],
  '04.481': ['Sidi Qacem'],
  '05.255': ['Fkih Ben Salah', 'Fqih Ben Salah', 'Fkih Bensalah'],
  '06.141': ['Casa', 'Dar El Beida', 'Dar Beida', 'البيضاء'],
  '06.371': ['Mohammedia', 'Mohamedia'],
  '06.181': ['Jadida'],
  '07.351': ['Marrakesh'],
  '07.041': ['El Haouz', 'Haouz'],
  '07.191': ['Kelaa des Sraghna', 'El Kelaa', 'Kelaa Sraghna', 'Kalaa Sraghna', 'El Kelaa Sraghna'],
  '07.427': ['Rhamna'],
  '08.201': ['Rachidia'],
  '08.577': ['Tinerhir'],
  '09.001': ['Agadir', 'أكادير'],
  '09.273': ['Inezgane', 'Ait Melloul', 'إنزكان', 'آيت ملول'],
  '09.163': ['Chtouka', 'اشتوكة'],
  '09.541': ['Taroudant'],
  '10.261': ['Goulmime', 'Goulimime', 'Goulimine', 'Guelmime'],
  '10.071': ['Assa', 'آسا'],
  '10.473': ['Ifni'],
  '11.321': ['Layoune', 'Laayoun', 'El Aaiun', 'El Ayoun', 'Aaiun'],
  '11.121': ['Boujador'],
  '11.221': ['Smara', 'Semara', 'سمارة'],
  '12.391': ['Dakhla', 'Ad-Dakhla', 'الداخلة'],
  '12.066': ['Awserd', 'Ausserd'],
};

// "Province de …", "Préfecture d'…", "إقليم …", "عمالة …", once folded; longest first so that
// "provincede" is tried before "province".
const PREFIXES = [
  'prefecturedarrondissementsde',
  'prefecturedarrondissementsd',
  'prefecturede',
  'prefectured',
  'prefecture',
  'provincedu',
  'provincede',
  'provinced',
  'province',
  'اقليم',
  'عماله',
];

interface ProvinceIndex {
  byKey: Map<string, Province>;
  /** Every key of every province, for suggestions. */
  keys: { key: string; province: Province }[];
  byCode: Map<string, Province>;
}

let index: ProvinceIndex | undefined;
const matches = new Map<string, ProvinceMatch>();

function loadIndex(): ProvinceIndex {
  const records: Record<string, string>[] = parseCsv(readFileSync(PROVINCES_CSV), {
    columns: true,
    bom: true,
  });
  const byCode = new Map<string, Province>();
  const byKey = new Map<string, Province>();
  const keys: ProvinceIndex['keys'] = [];
  for (const record of records) {
    const province: Province = {
      code: record.code ?? '',
      regionCode: record.region_code ?? '',
      nameFr: record.name_fr ?? '',
      nameAr: record.name_ar ?? '',
    };
    byCode.set(province.code, province);
    for (const name of [province.nameFr, province.nameAr, ...(ALIASES[province.code] ?? [])]) {
      const key = foldKey(name);
      const previous = byKey.get(key);
      if (previous && previous !== province) {
        throw new Error(`Province key "${key}" names both ${previous.code} and ${province.code}`);
      }
      byKey.set(key, province);
      keys.push({ key, province });
    }
  }

  return { byCode, byKey, keys };
}

/**
 * Finds the province a cell names: its HCP code (`10.261`, or `1.511` from a number cell that
 * lost its leading zero), or its French or Arabic name in any usual spelling. An unknown name
 * gets a suggestion only when one province is clearly closest.
 */
export function matchProvince(text: string): ProvinceMatch {
  index ??= loadIndex();
  const code = /^(\d{1,2})[.,](\d{1,3})$/.exec(toWesternDigits(text).trim());
  if (code) {
    const province = index.byCode.get(`${code[1]?.padStart(2, '0')}.${code[2]?.padEnd(3, '0')}`);

    return province ? { found: true, province } : { found: false };
  }

  const key = foldKey(text);
  let match = matches.get(key);
  if (!match) {
    match = matchName(index, key);
    matches.set(key, match);
  }

  return match;
}

function matchName(provinces: ProvinceIndex, key: string): ProvinceMatch {
  const withoutPrefix = PREFIXES.filter((p) => key.startsWith(p)).map((p) => key.slice(p.length));
  const candidates = [key, ...withoutPrefix];
  for (const candidate of candidates) {
    const province = provinces.byKey.get(candidate);
    if (province) return { found: true, province };
  }

  const suggestion = closestProvince(provinces, candidates[candidates.length - 1] ?? key);

  return suggestion ? { found: false, suggestion } : { found: false };
}

/**
 * The one province within a small edit distance of the key (a typo), or else the one province
 * whose name starts with it ("Skhirate"); `undefined` when none or several fit equally well.
 */
function closestProvince(provinces: ProvinceIndex, key: string): Province | undefined {
  if (key.length < 4) return undefined;

  const allowed = key.length >= 8 ? 2 : 1;
  const distance = new Map<Province, number>();
  for (const entry of provinces.keys) {
    const d = editDistance(key, entry.key, allowed);
    if (d <= allowed && d < (distance.get(entry.province) ?? Infinity)) {
      distance.set(entry.province, d);
    }
  }

  const best = Math.min(...distance.values());
  const closest = [...distance].filter(([, d]) => d === best).map(([province]) => province);
  if (closest.length === 1) return closest[0];
  if (closest.length > 1) return undefined;

  const prefixed = new Set(
    provinces.keys.filter((entry) => entry.key.startsWith(key)).map((entry) => entry.province),
  );

  return prefixed.size === 1 ? [...prefixed][0] : undefined;
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;

  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }

  return previous[b.length] ?? limit + 1;
}
