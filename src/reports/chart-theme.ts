/**
 * Colours and words shared by the report charts. Every colour pairing here is checked by the
 * chart tests against WCAG 2.1: 4.5:1 for text, 3:1 for bars, lines and tile borders.
 */
import type { ChartLang } from './svg';

/** Fixed colours of the chart furniture and the two bar series. */
export const COLOURS = {
  text: '#1b1b1b',
  mutedText: '#555555',
  axis: '#767676',
  grid: '#e2e2e2',
  // Blue and orange stay distinct for the common red-green colour-vision deficiencies.
  primary: '#1f5f8b',
  secondary: '#b5520f',
  noDataFill: '#f2f2f2',
  tileStroke: '#5c6b66',
  white: '#ffffff',
} as const;

/**
 * Sequential palette for the region map, light to dark green; ordered by lightness so that
 * "darker means more" also holds in greyscale print-outs.
 */
export const SEQUENTIAL_PALETTE = ['#e3f0ea', '#a9d6c2', '#5fae95', '#2b7a6a', '#0d4a45'] as const;

function channel(hex: string, offset: number): number {
  const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;

  return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a `#rrggbb` colour (WCAG 2.1, definition of relative luminance). */
export function relativeLuminance(hex: string): number {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) {
    throw new TypeError(`expected a #rrggbb colour, got ${hex}`);
  }

  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** Contrast ratio between two `#rrggbb` colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);

  return (light + 0.05) / (dark + 0.05);
}

/** Dark or white text, whichever reads better on `fill`. */
export function textColourOn(fill: string): string {
  return contrastRatio(fill, COLOURS.text) >= contrastRatio(fill, COLOURS.white)
    ? COLOURS.text
    : COLOURS.white;
}

/** The words a chart writes by itself, per language. */
export interface ChartWords {
  noData: string;
  missingValue: string;
  listSeparator: string;
  colon: string;
  series: [string, string];
  barSummary: (count: number) => string;
  trendSummary: (first: string, last: string, months: number) => string;
  minimum: string;
  maximum: string;
  mapSummary: string;
  mapNoValue: string;
}

const WORDS: Record<ChartLang, ChartWords> = {
  fr: {
    noData: 'Aucune donnée',
    missingValue: '—',
    listSeparator: ' ; ',
    // French typography puts a (non-breaking) space before the colon.
    colon: '\u00a0: ',
    series: ['Série 1', 'Série 2'],
    barSummary: (count) =>
      `Graphique à barres horizontales, ${count} barre${count > 1 ? 's' : ''}.`,
    trendSummary: (first, last, months) =>
      `Évolution mensuelle de ${first} à ${last} (${months} mois).`,
    minimum: 'minimum',
    maximum: 'maximum',
    mapSummary: 'Carte schématique des 12 régions du Maroc.',
    mapNoValue: 'pas de donnée',
  },
  ar: {
    noData: 'لا توجد بيانات',
    missingValue: '—',
    listSeparator: '؛ ',
    colon: ': ',
    series: ['السلسلة 1', 'السلسلة 2'],
    barSummary: (count) => `مخطط بأعمدة أفقية، عدد الأعمدة: ${count}.`,
    trendSummary: (first, last, months) =>
      `التطور الشهري من ${first} إلى ${last} (عدد الأشهر: ${months}).`,
    minimum: 'أدنى قيمة',
    maximum: 'أعلى قيمة',
    mapSummary: 'خريطة تخطيطية لجهات المغرب الاثنتي عشرة.',
    mapNoValue: 'لا توجد بيانات',
  },
};

/** The chart words for `lang`. */
export function chartWords(lang: ChartLang): ChartWords {
  return WORDS[lang];
}
