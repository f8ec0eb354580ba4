/**
 * Monthly trend chart (redemptions, savings, members served per month): a line over a light
 * area, with value gridlines and calendar-aligned month ticks.
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
} from './svg';

/** One month of the series; `label` is the month as `YYYY-MM`. */
export interface TrendPoint {
  label: string;
  value: number;
}

/** Input of {@link trendChart}. */
export interface TrendChartInput {
  title: string;
  points: readonly TrendPoint[];
  valueFormat: ValueFormat;
  dir: ChartDir;
  lang: ChartLang;
}

const AXIS_SIZE = 11;
const PLOT_HEIGHT = 200;
// Keeps the first and last month labels, centred on their tick, inside the plot's width.
const INNER_MARGIN = 18;
const MIN_TICK_SPACING = 44;
const TICK_STEPS = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120];
const MONTH_LABEL = /^(\d{4})-(0[1-9]|1[0-2])$/;

interface Month {
  index: number;
  label: string;
  value: number | undefined;
}

function monthIndex(label: string): number {
  const match = MONTH_LABEL.exec(label);
  if (match === null) {
    throw new TypeError(
      `trend point label must be a month as YYYY-MM, got ${JSON.stringify(label)}`,
    );
  }

  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

function monthDate(index: number): Date {
  return new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));
}

function locale(lang: ChartLang): string {
  // Moroccan variants: Arabic month names as used in Morocco (يناير … دجنبر), Latin digits.
  return lang === 'ar' ? 'ar-MA' : 'fr-MA';
}

/**
 * Round gridline values that cover `[low, high]` with about `count` steps. Integer-only data
 * never gets fractional steps, so a count of 3 is not labelled "0, 0.5, 1, 1.5 …".
 */
export function niceTicks(low: number, high: number, count: number, integers: boolean): number[] {
  const span = high - low === 0 ? 1 : high - low;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const nice =
    residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
  const step = integers ? Math.max(1, Math.round(nice * magnitude)) : nice * magnitude;
  const first = Math.floor(low / step);
  const last = Math.max(Math.ceil(high / step), first + 1);
  const ticks: number[] = [];

  for (let k = first; k <= last; k += 1) {
    // toPrecision drops float noise such as 0.30000000000000004.
    ticks.push(Number((k * step).toPrecision(12)));
  }

  return ticks;
}

/**
 * Draws a monthly trend as an SVG string. Months are placed on a true calendar axis, so a
 * month missing from `points` (or with a non-finite value) leaves a visible gap in the line
 * rather than being silently bridged. In right-to-left charts time runs from right to left, as
 * in a mirrored spreadsheet chart. Throws a `TypeError` for a label that is not `YYYY-MM` or a
 * month given twice.
 */
export function trendChart(input: TrendChartInput): string {
  const { title, valueFormat, dir, lang } = input;
  const months = toMonths(input.points);
  const present = months.filter((m): m is Month & { value: number } => m.value !== undefined);
  if (present.length === 0) {
    return noDataChart('trend', title, dir, lang);
  }

  const mirror = new Mirror(CHART_WIDTH, dir);
  const heading = titleBlock(title, mirror, COLOURS.text);
  const values = present.map((m) => m.value);
  const ticks = niceTicks(
    Math.min(0, ...values),
    Math.max(0, ...values),
    5,
    values.every((v) => Number.isInteger(v)),
  );
  const low = ticks[0] ?? 0;
  const high = ticks[ticks.length - 1] ?? 1;

  const tickWidth = Math.min(
    Math.max(...ticks.map((t) => estimateTextWidth(valueFormat(t), AXIS_SIZE))),
    CHART_WIDTH * 0.3,
  );
  const top = heading.bottom + 16;
  const bottom = top + PLOT_HEIGHT;
  const plotLeft = PADDING + tickWidth + 8;
  const plotRight = CHART_WIDTH - PADDING;
  const first = months[0]?.index ?? 0;
  const count = (months[months.length - 1]?.index ?? first) - first + 1;
  const x = (index: number): number =>
    count === 1
      ? (plotLeft + plotRight) / 2
      : plotLeft +
        INNER_MARGIN +
        ((index - first) / (count - 1)) * (plotRight - plotLeft - 2 * INNER_MARGIN);
  const y = (value: number): number => bottom - ((value - low) / (high - low)) * PLOT_HEIGHT;

  const grid = drawValueGrid(ticks, y, [plotLeft, plotRight], mirror, valueFormat);
  const baseline = y(Math.max(low, Math.min(0, high)));
  const lines = segments(months).map((segment) => drawSegment(segment, x, y, baseline, mirror));
  // Dense series get small markers so the dots do not hide the line itself.
  const radius = count > 36 ? 2 : 3.5;
  const markers = present.map((m) =>
    drawMarker(m, { cx: x(m.index), cy: y(m.value), r: radius }, mirror, valueFormat, lang),
  );
  const xAxis = drawMonthTicks(first, count, x, bottom, mirror, lang);
  const latest = present[present.length - 1];
  const latestLabel =
    latest === undefined ? [] : [drawLatestValue(latest, x, y, top, mirror, valueFormat)];

  return svgDocument({
    id: chartId('trend', { title, points: input.points, dir, lang }),
    kind: 'trend',
    width: CHART_WIDTH,
    height: bottom + 2 * AXIS_SIZE + 16 + PADDING,
    title,
    desc: describe(months, present, count, valueFormat, lang),
    dir,
    lang,
    body: [...heading.elements, ...grid, ...lines, ...markers, ...latestLabel, ...xAxis],
  });
}

function toMonths(points: readonly TrendPoint[]): Month[] {
  const seen = new Set<number>();
  const months = points.map((point) => {
    const index = monthIndex(point.label);
    if (seen.has(index)) {
      throw new TypeError(`trend point ${point.label} is given twice`);
    }
    seen.add(index);

    return {
      index,
      label: point.label,
      value: Number.isFinite(point.value) ? point.value : undefined,
    };
  });

  return months.sort((a, b) => a.index - b.index);
}

/** Runs of consecutive months that all have a value; a line never bridges a gap. */
function segments(months: Month[]): { index: number; value: number }[][] {
  const runs: { index: number; value: number }[][] = [];
  let current: { index: number; value: number }[] = [];

  for (const month of months) {
    const previous = current[current.length - 1];
    if (
      month.value === undefined ||
      (previous !== undefined && month.index !== previous.index + 1)
    ) {
      if (current.length > 0) {
        runs.push(current);
      }
      current = [];
    }
    if (month.value !== undefined) {
      current.push({ index: month.index, value: month.value });
    }
  }
  if (current.length > 0) {
    runs.push(current);
  }

  return runs;
}

function drawValueGrid(
  ticks: number[],
  y: (value: number) => number,
  [left, right]: [number, number],
  mirror: Mirror,
  valueFormat: ValueFormat,
): string[] {
  return ticks.flatMap((tick) => [
    `<line x1="${coord(mirror.x(left))}" y1="${coord(y(tick))}"` +
      ` x2="${coord(mirror.x(right))}" y2="${coord(y(tick))}"` +
      // The zero line is the baseline the area stands on, so it is drawn as an axis.
      ` stroke="${tick === 0 ? COLOURS.axis : COLOURS.grid}" stroke-width="1"/>`,
    svgText({
      x: mirror.x(left - 6),
      y: y(tick) + 4,
      text: valueFormat(tick),
      anchor: mirror.anchor('right'),
      size: AXIS_SIZE,
      fill: COLOURS.mutedText,
      extra: 'class="y-tick"',
    }),
  ]);
}

function drawSegment(
  segment: { index: number; value: number }[],
  x: (index: number) => number,
  y: (value: number) => number,
  baseline: number,
  mirror: Mirror,
): string {
  if (segment.length < 2) {
    return '';
  }

  const points = segment.map((p) => `${coord(mirror.x(x(p.index)))},${coord(y(p.value))}`);
  const firstX = coord(mirror.x(x(segment[0]?.index ?? 0)));
  const lastX = coord(mirror.x(x(segment[segment.length - 1]?.index ?? 0)));
  const area = `M${firstX},${coord(baseline)} L${points.join(' L')} L${lastX},${coord(baseline)} Z`;

  return (
    `<path d="${area}" fill="${COLOURS.primary}" fill-opacity="0.12" stroke="none"/>` +
    `<path d="M${points.join(' L')}" fill="none" stroke="${COLOURS.primary}" stroke-width="2.5"` +
    ` stroke-linejoin="round" stroke-linecap="round"/>`
  );
}

function drawMarker(
  month: Month & { value: number },
  dot: { cx: number; cy: number; r: number },
  mirror: Mirror,
  valueFormat: ValueFormat,
  lang: ChartLang,
): string {
  const words = chartWords(lang);
  const text = `${longMonth(month.index, lang)}${words.colon}${valueFormat(month.value)}`;

  return (
    `<g class="trend-point" data-month="${month.label}"><title>${escapeXml(text)}</title>` +
    `<circle cx="${coord(mirror.x(dot.cx))}" cy="${coord(dot.cy)}" r="${dot.r}"` +
    ` fill="${COLOURS.primary}"` +
    ` stroke="${COLOURS.white}" stroke-width="1.5"/></g>`
  );
}

function drawLatestValue(
  latest: Month & { value: number },
  x: (index: number) => number,
  y: (value: number) => number,
  top: number,
  mirror: Mirror,
  valueFormat: ValueFormat,
): string {
  const py = y(latest.value);
  // Above the point unless that would run into the title; then below it.
  const textY = py - 10 < top + 4 ? py + 20 : py - 10;

  return svgText({
    x: mirror.x(x(latest.index) + 4),
    y: textY,
    text: valueFormat(latest.value),
    anchor: mirror.anchor('right'),
    size: 12,
    fill: COLOURS.text,
    bold: true,
    extra: 'class="latest-value"',
  });
}

function drawMonthTicks(
  first: number,
  count: number,
  x: (index: number) => number,
  bottom: number,
  mirror: Mirror,
  lang: ChartLang,
): string[] {
  const spacing = count > 1 ? x(first + 1) - x(first) : Infinity;
  const step = TICK_STEPS.find((s) => s * spacing >= MIN_TICK_SPACING) ?? 120;
  const shortMonth = new Intl.DateTimeFormat(locale(lang), { month: 'short', timeZone: 'UTC' });
  const indices = Array.from({ length: count }, (_, k) => first + k);
  // Calendar-aligned ticks (January, April, July, October for a quarterly step) read better
  // than "every third month from wherever the data starts".
  const aligned = indices.filter((index) => index % step === 0);
  const elements: string[] = [];
  let previousYear: number | undefined;

  for (const index of aligned.length > 0 ? aligned : [first]) {
    const tx = mirror.x(x(index));
    const year = Math.floor(index / 12);
    elements.push(
      `<line x1="${coord(tx)}" y1="${coord(bottom)}" x2="${coord(tx)}" y2="${coord(bottom + 4)}"` +
        ` stroke="${COLOURS.axis}" stroke-width="1"/>`,
    );
    if (step < 12) {
      elements.push(tickLabel(shortMonth.format(monthDate(index)), tx, bottom + 16));
    }
    if (year !== previousYear) {
      elements.push(tickLabel(String(year), tx, bottom + (step < 12 ? 30 : 16)));
      previousYear = year;
    }
  }

  return elements;
}

function tickLabel(text: string, x: number, y: number): string {
  return svgText({
    x,
    y,
    text,
    anchor: 'middle',
    size: AXIS_SIZE,
    fill: COLOURS.mutedText,
    extra: 'class="x-tick"',
  });
}

function longMonth(index: number, lang: ChartLang): string {
  const format = new Intl.DateTimeFormat(locale(lang), {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

  return format.format(monthDate(index));
}

function describe(
  months: Month[],
  present: (Month & { value: number })[],
  count: number,
  valueFormat: ValueFormat,
  lang: ChartLang,
): string {
  const words = chartWords(lang);
  const firstMonth = longMonth(months[0]?.index ?? 0, lang);
  const lastMonth = longMonth(months[months.length - 1]?.index ?? 0, lang);
  const lowest = present.reduce((a, b) => (b.value < a.value ? b : a));
  const highest = present.reduce((a, b) => (b.value > a.value ? b : a));
  const extreme = (name: string, month: Month & { value: number }): string =>
    `${name}${words.colon}${valueFormat(month.value)} (${longMonth(month.index, lang)})`;
  const extremes = [extreme(words.minimum, lowest), extreme(words.maximum, highest)];
  const items = months.map((m) => {
    const value = m.value === undefined ? words.missingValue : valueFormat(m.value);

    return `${longMonth(m.index, lang)}${words.colon}${value}`;
  });

  return [
    words.trendSummary(firstMonth, lastMonth, count),
    `${extremes.join(words.listSeparator)}.`,
    `${items.join(words.listSeparator)}.`,
  ].join(' ');
}
