/**
 * Horizontal bar chart for the region, province, partner and category reports. Bars are
 * horizontal because the labels are long place names; values are written next to each bar so
 * nobody has to read an axis.
 */
import { COLOURS, chartWords } from './chart-theme';
import {
  CHART_WIDTH,
  type ChartDir,
  type ChartLang,
  Mirror,
  PADDING,
  type ValueFormat,
  chartId,
  coord,
  estimateTextWidth,
  escapeXml,
  noDataChart,
  svgDocument,
  svgText,
  titleBlock,
  wrapText,
} from './svg';

/** One bar, optionally paired with a second value (e.g. share of members vs share of savings). */
export interface BarDatum {
  label: string;
  value: number;
  secondaryValue?: number;
}

/** Input of {@link barChart}. */
export interface BarChartInput {
  title: string;
  bars: readonly BarDatum[];
  valueFormat: ValueFormat;
  dir: ChartDir;
  lang: ChartLang;
  /** Legend names of the two series; used only when some bar has a `secondaryValue`. */
  seriesLabels?: { value: string; secondaryValue: string };
}

const LABEL_SIZE = 13;
const VALUE_SIZE = 12;
const LINE_HEIGHT = 16;
const ROW_GAP = 12;
const PAIR_GAP = 3;
const LABEL_GAP = 10;
const MAX_LABEL_SHARE = 0.36;

interface Series {
  name: string;
  colour: string;
  pick: (bar: BarDatum) => number | undefined;
}

function isFiniteNumber(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Draws a horizontal bar chart as an SVG string. Labels sit at the reading direction's start
 * (left in French, right in Arabic) and bars grow towards its end; with `secondaryValue`s each
 * row holds two bars and a legend names the series. Missing or non-finite values are shown as
 * a dash, and a chart with no finite value at all becomes a "no data" chart.
 */
export function barChart(input: BarChartInput): string {
  const { title, bars, valueFormat, dir, lang } = input;
  const words = chartWords(lang);
  const values = bars.flatMap((bar) => [bar.value, bar.secondaryValue]).filter(isFiniteNumber);
  if (values.length === 0) {
    return noDataChart('bar', title, dir, lang);
  }

  const series: Series[] = [
    {
      name: input.seriesLabels?.value ?? words.series[0],
      colour: COLOURS.primary,
      pick: (bar) => bar.value,
    },
  ];
  if (bars.some((bar) => bar.secondaryValue !== undefined)) {
    series.push({
      name: input.seriesLabels?.secondaryValue ?? words.series[1],
      colour: COLOURS.secondary,
      pick: (bar) => bar.secondaryValue,
    });
  }

  const mirror = new Mirror(CHART_WIDTH, dir);
  const heading = titleBlock(title, mirror, COLOURS.text);
  const legend = series.length > 1 ? drawLegend(series, mirror, heading.bottom + 4) : [];
  const top = heading.bottom + (legend.length > 0 ? 34 : 12);

  const format = (value: number | undefined): string =>
    isFiniteNumber(value) ? valueFormat(value) : words.missingValue;
  const valueTexts = bars.flatMap((bar) => series.map((s) => format(s.pick(bar))));
  const valueWidth = Math.max(...valueTexts.map((t) => estimateTextWidth(t, VALUE_SIZE))) + 8;
  const longestLabel = Math.max(...bars.map((bar) => estimateTextWidth(bar.label, LABEL_SIZE)));
  const labelWidth = Math.min(Math.max(longestLabel, 60), CHART_WIDTH * MAX_LABEL_SHARE);

  const plotLeft = PADDING + labelWidth + LABEL_GAP;
  const plotRight = Math.max(CHART_WIDTH - PADDING - valueWidth, plotLeft + 80);
  // Zero is always on the axis so bar lengths compare honestly, negative values included.
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const span = high - low === 0 ? 1 : high - low;
  const scale = (value: number): number =>
    plotLeft + ((value - low) / span) * (plotRight - plotLeft);

  const barHeight = series.length > 1 ? 13 : 18;
  const layout: RowLayout = {
    series,
    labelWidth,
    barHeight,
    barsBlock: series.length * barHeight + (series.length - 1) * PAIR_GAP,
    scale,
    mirror,
    format,
    lang,
  };
  const rows: string[] = [];
  let y = top;
  for (const bar of bars) {
    const row = drawRow(bar, y, layout);
    rows.push(row.markup);
    y += row.height;
  }

  const zeroX = mirror.x(scale(0));
  const axis =
    `<line x1="${coord(zeroX)}" y1="${coord(top - 4)}" x2="${coord(zeroX)}" y2="${coord(y)}"` +
    ` stroke="${COLOURS.axis}" stroke-width="1"/>`;

  return svgDocument({
    id: chartId('bar', { title, bars, dir, lang, series: series.map((s) => s.name) }),
    kind: 'bar',
    width: CHART_WIDTH,
    height: y + PADDING,
    title,
    desc: describe(bars, series, format, lang),
    dir,
    lang,
    body: [...heading.elements, ...legend, ...rows, axis],
  });
}

interface RowLayout {
  series: Series[];
  labelWidth: number;
  barHeight: number;
  /** Height of the bars of one row together, gaps included. */
  barsBlock: number;
  scale: (value: number) => number;
  mirror: Mirror;
  format: (value: number | undefined) => string;
  lang: ChartLang;
}

/** One row: its label (wrapped to two lines), its bar or pair of bars and their values. */
function drawRow(bar: BarDatum, y: number, layout: RowLayout): { markup: string; height: number } {
  const { series, labelWidth, barHeight, barsBlock, mirror, format } = layout;
  const lines = wrapText(bar.label, labelWidth, LABEL_SIZE, 2);
  const height = Math.max(barsBlock, lines.length * LINE_HEIGHT) + ROW_GAP;
  const middle = y + height / 2;
  // The row's tooltip carries the full label, which the picture may have shortened.
  const parts = [`<title>${escapeXml(describeBar(bar, series, format, layout.lang))}</title>`];

  lines.forEach((line, index) => {
    parts.push(
      svgText({
        x: mirror.x(PADDING + labelWidth),
        y: middle + (index - (lines.length - 1) / 2) * LINE_HEIGHT + LABEL_SIZE * 0.35,
        text: line,
        anchor: mirror.anchor('right'),
        size: LABEL_SIZE,
        fill: COLOURS.text,
        extra: 'class="bar-label"',
      }),
    );
  });
  series.forEach((s, index) => {
    const barTop = middle - barsBlock / 2 + index * (barHeight + PAIR_GAP);
    parts.push(...drawBar(s, s.pick(bar), barTop, barHeight, layout));
  });

  return { markup: `<g class="bar-row">${parts.join('')}</g>`, height };
}

function drawBar(
  series: Series,
  value: number | undefined,
  barTop: number,
  barHeight: number,
  layout: RowLayout,
): string[] {
  const { scale, mirror, format } = layout;
  const textY = barTop + barHeight / 2 + 4;
  if (!isFiniteNumber(value)) {
    return [valueText(format(value), scale(0) + 4, textY, mirror)];
  }

  const start = scale(Math.min(0, value));
  // A non-zero value keeps a sliver of a bar so that it never looks like a zero.
  const width = Math.max(scale(Math.max(0, value)) - start, value === 0 ? 0 : 1.5);
  const rect =
    `<rect x="${coord(mirror.boxX(start, width))}" y="${coord(barTop)}"` +
    ` width="${coord(width)}" height="${barHeight}" fill="${series.colour}"/>`;
  // Negative bars grow towards the labels, so their value goes on the other side of zero.
  const textX = value >= 0 ? start + width + 4 : scale(0) + 4;

  return [rect, valueText(format(value), textX, textY, mirror)];
}

function valueText(text: string, x: number, y: number, mirror: Mirror): string {
  return svgText({
    x: mirror.x(x),
    y,
    text,
    anchor: mirror.anchor('left'),
    size: VALUE_SIZE,
    fill: COLOURS.text,
    extra: 'class="bar-value"',
  });
}

function drawLegend(series: Series[], mirror: Mirror, y: number): string[] {
  const elements: string[] = [];
  let x = PADDING;

  for (const s of series) {
    elements.push(
      `<rect x="${coord(mirror.boxX(x, 12))}" y="${coord(y + 2)}" width="12" height="12"` +
        ` fill="${s.colour}"/>`,
      svgText({
        x: mirror.x(x + 18),
        y: y + 12.5,
        text: s.name,
        anchor: mirror.anchor('left'),
        size: VALUE_SIZE,
        fill: COLOURS.text,
        extra: 'class="legend-label"',
      }),
    );
    x += 18 + estimateTextWidth(s.name, VALUE_SIZE) + 24;
  }

  return [`<g class="legend">${elements.join('')}</g>`];
}

function describeBar(
  bar: BarDatum,
  series: Series[],
  format: (value: number | undefined) => string,
  lang: ChartLang,
): string {
  const words = chartWords(lang);
  const values = series.map((s) =>
    series.length > 1 ? `${s.name} ${format(s.pick(bar))}` : format(s.pick(bar)),
  );

  return `${bar.label}${words.colon}${values.join(lang === 'ar' ? '، ' : ', ')}`;
}

function describe(
  bars: readonly BarDatum[],
  series: Series[],
  format: (value: number | undefined) => string,
  lang: ChartLang,
): string {
  const words = chartWords(lang);
  const items = bars.map((bar) => describeBar(bar, series, format, lang));

  return `${words.barSummary(bars.length)} ${items.join(words.listSeparator)}.`;
}
