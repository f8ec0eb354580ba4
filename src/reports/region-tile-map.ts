/**
 * Schematic tile map of Morocco's 12 regions (2015 division), coloured by a value: the
 * territorial-fairness view of the reports (members, savings, offers per 10,000 members).
 * Equal tiles instead of real borders keep small regions such as Casablanca-Settat as visible
 * as the large southern ones, which is the point of a fairness report.
 */
import { COLOURS, SEQUENTIAL_PALETTE, chartWords, textColourOn } from './chart-theme';
import {
  CHART_WIDTH,
  type ChartDir,
  type ChartLang,
  Mirror,
  PADDING,
  type ValueFormat,
  chartId,
  coord,
  escapeXml,
  estimateTextWidth,
  noDataChart,
  svgDocument,
  svgText,
  textAnchor,
  titleBlock,
  truncateToWidth,
} from './svg';

/** One region's value; `code` is the HCP region code, '01' to '12'. */
export interface RegionValue {
  code: string;
  label: string;
  value: number;
}

/** Input of {@link regionTileMap}. */
export interface RegionTileMapInput {
  title: string;
  regions: readonly RegionValue[];
  valueFormat: ValueFormat;
  dir: ChartDir;
  lang: ChartLang;
}

interface TilePlace {
  /** Column in tile widths; halves make the staggered, south-westward coastline. */
  column: number;
  row: number;
  short: Record<ChartLang, string>;
}

/**
 * Where each region's tile sits. Our own arrangement, by the regions' relative positions: the
 * Mediterranean north at the top (01, with 02 L'Oriental to the north-east, half a row lower
 * because it reaches much further south), inland regions
 * (03, 05, 08) east of the Atlantic ones (04, 06, 07), then the coast running south-west
 * through Souss-Massa (09) to the three Saharan regions (10, 11, 12). Short names are the
 * first part of each official region name.
 */
const TILE_PLACES: Record<string, TilePlace> = {
  '01': { column: 3, row: 0, short: { fr: 'Tanger', ar: 'طنجة' } },
  '02': { column: 4.5, row: 0.5, short: { fr: "L'Oriental", ar: 'الشرق' } },
  '03': { column: 3.5, row: 1, short: { fr: 'Fès', ar: 'فاس' } },
  '04': { column: 2.5, row: 1, short: { fr: 'Rabat', ar: 'الرباط' } },
  '05': { column: 3, row: 2, short: { fr: 'Béni Mellal', ar: 'بني ملال' } },
  '06': { column: 2, row: 2, short: { fr: 'Casablanca', ar: 'الدار البيضاء' } },
  '07': { column: 1.5, row: 3, short: { fr: 'Marrakech', ar: 'مراكش' } },
  '08': { column: 2.5, row: 3, short: { fr: 'Drâa', ar: 'درعة' } },
  '09': { column: 2, row: 4, short: { fr: 'Souss', ar: 'سوس' } },
  '10': { column: 1.5, row: 5, short: { fr: 'Guelmim', ar: 'كلميم' } },
  '11': { column: 1, row: 6, short: { fr: 'Laâyoune', ar: 'العيون' } },
  '12': { column: 0.5, row: 7, short: { fr: 'Dakhla', ar: 'الداخلة' } },
};

const REGION_CODES = Object.keys(TILE_PLACES).sort();
const TILE_WIDTH = 100;
const TILE_HEIGHT = 60;
const STEP_X = 108;
const STEP_Y = 68;
const MIN_COLUMN = 0.5;
const MAX_COLUMN = 4.5;
const MAP_WIDTH = (MAX_COLUMN - MIN_COLUMN) * STEP_X + TILE_WIDTH;
const MAP_LEFT = (CHART_WIDTH - MAP_WIDTH) / 2;
const LEGEND_ROW = 3;
// From Marrakech-Safi southwards the map keeps to the west, leaving its south-east corner free
// for the legend: the legend starts just east of the easternmost tile of those rows.
const LEGEND_LEFT =
  Math.max(
    ...Object.values(TILE_PLACES)
      .filter((place) => place.row >= LEGEND_ROW)
      .map((place) => MAP_LEFT + (place.column - MIN_COLUMN) * STEP_X + TILE_WIDTH),
  ) + 24;
const LABEL_SIZE = 11.5;
const MIN_LABEL_SIZE = 9.5;

interface ColourScale {
  fill: (value: number) => string;
  classes: { colour: string; from: number; to: number }[];
}

/**
 * Draws the 12 regions as a tile map coloured on a five-step sequential palette (equal
 * intervals between the lowest and highest value), each tile showing its code, short name and
 * value, with a legend of the value ranges. Regions absent from `regions`, or with a
 * non-finite value, are drawn grey and marked as having no data. Geography is never mirrored:
 * for right-to-left pages only the title and legend follow the reading direction. Throws a
 * `TypeError` for an unknown region code or a region given twice.
 */
export function regionTileMap(input: RegionTileMapInput): string {
  const { title, valueFormat, dir, lang } = input;
  const byCode = indexRegions(input.regions);
  const values = [...byCode.values()].map((r) => r.value).filter((v) => Number.isFinite(v));
  if (values.length === 0) {
    return noDataChart('region-map', title, dir, lang);
  }

  const mirror = new Mirror(CHART_WIDTH, dir);
  const heading = titleBlock(title, mirror, COLOURS.text);
  const top = heading.bottom + 12;
  const scale = colourScale(Math.min(...values), Math.max(...values));
  const hasMissing = REGION_CODES.some((code) => !Number.isFinite(byCode.get(code)?.value));

  const tiles = REGION_CODES.map((code) => {
    const region = byCode.get(code);
    const place = TILE_PLACES[code] as TilePlace;
    const x = MAP_LEFT + (place.column - MIN_COLUMN) * STEP_X;
    const y = top + place.row * STEP_Y;

    return drawTile(code, place, region, { x, y }, scale, valueFormat, lang);
  });
  const legend = drawLegend(scale, hasMissing, top + LEGEND_ROW * STEP_Y, valueFormat, dir, lang);

  return svgDocument({
    id: chartId('region-map', { title, regions: input.regions, dir, lang }),
    kind: 'region-map',
    width: CHART_WIDTH,
    height: top + 7 * STEP_Y + TILE_HEIGHT + PADDING,
    title,
    desc: describe(byCode, valueFormat, lang),
    dir,
    lang,
    body: [...heading.elements, ...tiles, ...legend],
  });
}

function indexRegions(regions: readonly RegionValue[]): Map<string, RegionValue> {
  const byCode = new Map<string, RegionValue>();
  for (const region of regions) {
    if (TILE_PLACES[region.code] === undefined) {
      throw new TypeError(`unknown region code ${JSON.stringify(region.code)}, expected 01 to 12`);
    }
    if (byCode.has(region.code)) {
      throw new TypeError(`region ${region.code} is given twice`);
    }
    byCode.set(region.code, region);
  }

  return byCode;
}

function colourScale(min: number, max: number): ColourScale {
  if (min === max) {
    // One value everywhere: one mid-palette class, so it does not read as "lowest" or "highest".
    const colour = SEQUENTIAL_PALETTE[2];

    return { fill: () => colour, classes: [{ colour, from: min, to: max }] };
  }

  const steps = SEQUENTIAL_PALETTE.length;
  const width = (max - min) / steps;
  const classes = SEQUENTIAL_PALETTE.map((colour, index) => ({
    colour,
    from: min + index * width,
    to: index === steps - 1 ? max : min + (index + 1) * width,
  }));
  const fill = (value: number): string => {
    const index = Math.min(steps - 1, Math.floor((value - min) / width));

    return SEQUENTIAL_PALETTE[Math.max(0, index)] ?? SEQUENTIAL_PALETTE[0];
  };

  return { fill, classes };
}

function drawTile(
  code: string,
  place: TilePlace,
  region: RegionValue | undefined,
  at: { x: number; y: number },
  scale: ColourScale,
  valueFormat: ValueFormat,
  lang: ChartLang,
): string {
  const words = chartWords(lang);
  const hasValue = region !== undefined && Number.isFinite(region.value);
  const fill = hasValue ? scale.fill(region.value) : COLOURS.noDataFill;
  const ink = hasValue ? textColourOn(fill) : COLOURS.mutedText;
  const dash = hasValue ? '' : ' stroke-dasharray="4 3"';
  const valueText = hasValue ? valueFormat(region.value) : words.missingValue;
  const name = fitLabel(`${code} ${place.short[lang]}`, TILE_WIDTH - 10);
  const shownValue = hasValue ? valueText : words.mapNoValue;
  const tooltip = `${region?.label ?? place.short[lang]}${words.colon}${shownValue}`;
  const centre = at.x + TILE_WIDTH / 2;

  return [
    `<g class="region-tile" data-region="${code}"${hasValue ? '' : ' data-missing="true"'}>`,
    `<title>${escapeXml(tooltip)}</title>`,
    `<rect x="${coord(at.x)}" y="${coord(at.y)}" width="${TILE_WIDTH}" height="${TILE_HEIGHT}"`,
    ` rx="8" fill="${fill}" stroke="${hasValue ? COLOURS.tileStroke : COLOURS.axis}"${dash}/>`,
    svgText({
      x: centre,
      y: at.y + 25,
      text: name.text,
      anchor: 'middle',
      size: name.size,
      fill: ink,
      bold: true,
    }),
    svgText({
      x: centre,
      y: at.y + 44,
      text: truncateToWidth(valueText, TILE_WIDTH - 8, 12),
      anchor: 'middle',
      size: 12,
      fill: ink,
    }),
    '</g>',
  ].join('');
}

/** Shrinks a tile's name a little before resorting to an ellipsis ("الدار البيضاء" is long). */
function fitLabel(text: string, maxWidth: number): { text: string; size: number } {
  let size = LABEL_SIZE;
  while (size > MIN_LABEL_SIZE && estimateTextWidth(text, size, true) > maxWidth) {
    size -= 0.5;
  }

  return { text: truncateToWidth(text, maxWidth, size * 1.08), size };
}

function drawLegend(
  scale: ColourScale,
  hasMissing: boolean,
  top: number,
  valueFormat: ValueFormat,
  dir: ChartDir,
  lang: ChartLang,
): string[] {
  const entries: { colour: string; stroke: string; text: string }[] = scale.classes.map((c) => ({
    colour: c.colour,
    stroke: COLOURS.tileStroke,
    text: c.from === c.to ? valueFormat(c.from) : `${valueFormat(c.from)} – ${valueFormat(c.to)}`,
  }));
  if (hasMissing) {
    entries.push({
      colour: COLOURS.noDataFill,
      stroke: COLOURS.axis,
      text: chartWords(lang).mapNoValue,
    });
  }

  const right = CHART_WIDTH - PADDING;
  const textWidth = right - LEGEND_LEFT - 24;
  // The legend box stays in the map's free corner; inside it, swatches lead in reading order.
  const swatchX = dir === 'rtl' ? right - 16 : LEGEND_LEFT;
  const textX = dir === 'rtl' ? right - 24 : LEGEND_LEFT + 24;
  const anchor = textAnchor(dir === 'rtl' ? 'right' : 'left', dir);

  const rows = entries.map((entry, index) => {
    const y = top + index * 24;

    return (
      `<rect x="${coord(swatchX)}" y="${coord(y)}" width="16" height="16" rx="3"` +
      ` fill="${entry.colour}" stroke="${entry.stroke}"/>` +
      svgText({
        x: textX,
        y: y + 12.5,
        text: truncateToWidth(entry.text, textWidth, 12),
        anchor,
        size: 12,
        fill: COLOURS.text,
        extra: 'class="legend-label"',
      })
    );
  });

  return [`<g class="legend">${rows.join('')}</g>`];
}

function describe(
  byCode: Map<string, RegionValue>,
  valueFormat: ValueFormat,
  lang: ChartLang,
): string {
  const words = chartWords(lang);
  const items = REGION_CODES.map((code) => {
    const region = byCode.get(code);
    const name = region?.label ?? TILE_PLACES[code]?.short[lang] ?? code;
    const value =
      region !== undefined && Number.isFinite(region.value)
        ? valueFormat(region.value)
        : words.mapNoValue;

    return `${code} ${name}${words.colon}${value}`;
  });

  return `${words.mapSummary} ${items.join(words.listSeparator)}.`;
}
