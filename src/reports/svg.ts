/**
 * Low-level helpers shared by the report charts: XML escaping, a rough text-width estimate (there
 * is no DOM on the server to measure glyphs), label wrapping, mirroring for right-to-left layouts
 * and the accessible `<svg>` shell every chart is wrapped in.
 */

import { COLOURS, chartWords } from './chart-theme';

/** Reading direction of the page the chart is shown in. */
export type ChartDir = 'ltr' | 'rtl';

/** The languages NadiPass is read in; chooses the chart's own words (no data, legend defaults). */
export type ChartLang = 'fr' | 'ar';

/** Turns a raw value into the text shown for it, e.g. a percentage or an amount in MAD. */
export type ValueFormat = (value: number) => string;

/** A side of the drawing as the eye sees it, independent of the text direction. */
export type VisualAlign = 'left' | 'middle' | 'right';

// XML 1.0 forbids most C0 controls, U+FFFE/U+FFFF and unpaired surrogates; a single one makes
// the whole SVG unparseable, so they become U+FFFD instead of breaking the report page.
const XML_INVALID = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in SVG element content and in double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD').replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch] ?? ch);
}

/** Formats a coordinate with at most one decimal, so the markup stays short and stable. */
export function coord(value: number): string {
  if (!Number.isFinite(value)) {
    // A NaN coordinate is a bug in the layout code, never something to draw silently.
    throw new RangeError(`chart coordinate is not a finite number: ${value}`);
  }

  return String(Math.round(value * 10) / 10);
}

/** Font stack with Arabic coverage on Windows (Segoe UI, Tahoma), Android and Linux (Noto). */
export const FONT_FAMILY =
  "system-ui, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', Tahoma, 'DejaVu Sans', sans-serif";

const NARROW = new Set([..."iljtfrI.,:;'!|() -/"]);
const WIDE = new Set([...'mwMW@%']);

/**
 * Estimates how wide `text` renders at `fontSize` pixels in a common sans-serif font.
 * Deliberately generous: a label that is a little too short looks fine, one that overflows
 * into the bars does not.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) {
      ems += 0.34;
    } else if (WIDE.has(ch)) {
      ems += 0.88;
    } else if (ch >= 'A' && ch <= 'Z') {
      ems += 0.68;
    } else if (/[\u0600-\u06FF]/.test(ch)) {
      // Arabic letters join and are mostly narrower than Latin capitals.
      ems += 0.5;
    } else {
      ems += 0.58;
    }
  }

  return ems * fontSize * (bold ? 1.08 : 1);
}

/** Shortens `text` with an ellipsis until its estimated width fits `maxWidth`. */
export function truncateToWidth(text: string, maxWidth: number, fontSize: number): string {
  if (estimateTextWidth(text, fontSize) <= maxWidth) {
    return text;
  }

  const chars = Array.from(text);
  while (chars.length > 1 && estimateTextWidth(`${chars.join('')}…`, fontSize) > maxWidth) {
    chars.pop();
  }

  return `${chars.join('').trimEnd()}…`;
}

/**
 * Splits a label into at most `maxLines` lines of `maxWidth`, breaking at spaces and after
 * hyphens (region names such as "Laâyoune-Sakia El Hamra" have both); the last line is
 * truncated with an ellipsis when the label still does not fit.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  fontSize: number,
  maxLines: number,
): string[] {
  const words = text
    .trim()
    .split(/(?<=-)|\s+/)
    .filter((word) => word !== '');
  const lines: string[] = [];
  let current = '';

  for (const word of words) {
    const candidate = current === '' ? word : joinWords(current, word);
    if (current === '' || estimateTextWidth(candidate, fontSize) <= maxWidth) {
      current = candidate;
      continue;
    }

    lines.push(current);
    current = word;
  }
  if (current !== '') {
    lines.push(current);
  }

  // Lines beyond the last allowed one join it; it then no longer fits and gets the ellipsis.
  const kept = lines.slice(0, maxLines - 1);
  const last = lines.slice(maxLines - 1).reduce(joinWords, '');

  return [...kept, ...(last === '' ? [] : [last])].map((line) =>
    truncateToWidth(line, maxWidth, fontSize),
  );
}

function joinWords(left: string, right: string): string {
  if (left === '') {
    return right;
  }

  // A line broken after a hyphen joins back without a space: "Laâyoune-" + "Sakia".
  return left.endsWith('-') ? `${left}${right}` : `${left} ${right}`;
}

/**
 * Maps a visual alignment to `text-anchor`. The root element carries `direction`, and in SVG
 * `start`/`end` follow the text direction, so "right-aligned" is `end` in LTR but `start` in RTL.
 */
export function textAnchor(align: VisualAlign, dir: ChartDir): 'start' | 'middle' | 'end' {
  if (align === 'middle') {
    return 'middle';
  }

  const leftIsStart = dir === 'ltr';

  return (align === 'left') === leftIsStart ? 'start' : 'end';
}

/**
 * Mirrors horizontal positions for right-to-left charts. Layout code works in LTR terms
 * ("labels on the left, bars growing right") and passes every x through one of these.
 */
export class Mirror {
  constructor(
    private readonly width: number,
    private readonly dir: ChartDir,
  ) {}

  /** The x of a point. */
  x(x: number): number {
    return this.dir === 'rtl' ? this.width - x : x;
  }

  /** The left edge of a box that spans `[x, x + w]` in LTR terms. */
  boxX(x: number, w: number): number {
    return this.dir === 'rtl' ? this.width - x - w : x;
  }

  /** The visual alignment of text that is `align`-aligned in LTR terms. */
  align(align: VisualAlign): VisualAlign {
    if (this.dir === 'ltr' || align === 'middle') {
      return align;
    }

    return align === 'left' ? 'right' : 'left';
  }

  /** The `text-anchor` for text that is `align`-aligned in LTR terms. */
  anchor(align: VisualAlign): 'start' | 'middle' | 'end' {
    return textAnchor(this.align(align), this.dir);
  }
}

/** Attributes of one `<text>` element; every value is escaped by {@link svgText}. */
export interface TextSpec {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  fill: string;
  bold?: boolean;
  extra?: string;
}

/** One `<text>` element with escaped content. */
export function svgText(spec: TextSpec): string {
  const weight = spec.bold === true ? ' font-weight="bold"' : '';
  const extra = spec.extra === undefined ? '' : ` ${spec.extra}`;

  return (
    `<text x="${coord(spec.x)}" y="${coord(spec.y)}" text-anchor="${spec.anchor}"` +
    ` font-size="${spec.size}" fill="${spec.fill}"${weight}${extra}>${escapeXml(spec.text)}</text>`
  );
}

/** Short, stable id for a chart, so several charts on one page keep distinct `aria` targets. */
export function chartId(kind: string, content: unknown): string {
  // FNV-1a over the chart's own input: pure functions cannot keep a counter, and the same
  // chart rendered twice gets the same id, which keeps snapshots and caches stable.
  let hash = 0x811c9dc5;
  for (const ch of `${kind}\u0000${JSON.stringify(content)}`) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }

  return `${kind}-${hash.toString(16).padStart(8, '0')}`;
}

/** Everything the accessible `<svg>` shell needs around a chart's drawing. */
export interface SvgDocument {
  id: string;
  kind: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  dir: ChartDir;
  lang: ChartLang;
  body: string[];
  empty?: boolean;
}

/**
 * Wraps a chart's elements in an `<svg>` that screen readers announce as one image, named by
 * its `<title>` and described by its `<desc>` (SVG-AAM: `role="img"` plus `aria-labelledby`).
 * There is no width or height: the viewBox alone lets the chart scale to its container.
 */
export function svgDocument(doc: SvgDocument): string {
  const titleId = `${doc.id}-title`;
  const descId = `${doc.id}-desc`;
  const empty = doc.empty === true ? ' data-empty="true"' : '';

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${doc.width} ${coord(doc.height)}"`,
    ` id="${doc.id}" class="chart chart-${doc.kind}" role="img"`,
    ` aria-labelledby="${titleId} ${descId}" direction="${doc.dir}"`,
    ` lang="${doc.lang}" xml:lang="${doc.lang}" font-family="${escapeXml(FONT_FAMILY)}"${empty}>`,
    `<title id="${titleId}">${escapeXml(doc.title)}</title>`,
    `<desc id="${descId}">${escapeXml(doc.desc)}</desc>`,
    `<rect width="${doc.width}" height="${coord(doc.height)}" fill="#ffffff"/>`,
    ...doc.body,
    '</svg>',
  ].join('\n');
}

/** Layout constants shared by every chart. */
export const CHART_WIDTH = 640;
export const PADDING = 16;
export const TITLE_SIZE = 16;

/**
 * The chart title, wrapped to two lines at most and aligned with the reading direction's start.
 * Returns the elements and the y just below the title.
 */
export function titleBlock(
  title: string,
  mirror: Mirror,
  textColour: string,
): { elements: string[]; bottom: number } {
  const lineHeight = TITLE_SIZE * 1.3;
  const lines = wrapText(title, CHART_WIDTH - 2 * PADDING, TITLE_SIZE * 1.08, 2);
  const elements = lines.map((line, index) =>
    svgText({
      x: mirror.x(PADDING),
      y: PADDING + TITLE_SIZE + index * lineHeight,
      text: line,
      anchor: mirror.anchor('left'),
      size: TITLE_SIZE,
      fill: textColour,
      bold: true,
    }),
  );

  return { elements, bottom: PADDING + lines.length * lineHeight + 4 };
}

/**
 * The chart drawn when there is nothing to plot: the title and a framed "no data" message, so a
 * report never shows empty axes, a lone zero or "NaN".
 */
export function noDataChart(kind: string, title: string, dir: ChartDir, lang: ChartLang): string {
  const words = chartWords(lang);
  const mirror = new Mirror(CHART_WIDTH, dir);
  const heading = titleBlock(title, mirror, COLOURS.text);
  const boxTop = heading.bottom + 8;
  const boxHeight = 96;
  const boxWidth = CHART_WIDTH - 2 * PADDING;

  return svgDocument({
    id: chartId(kind, { title, lang, empty: true }),
    kind,
    width: CHART_WIDTH,
    height: boxTop + boxHeight + PADDING,
    title,
    desc: words.noData,
    dir,
    lang,
    empty: true,
    body: [
      ...heading.elements,
      `<rect x="${PADDING}" y="${coord(boxTop)}" width="${boxWidth}" height="${boxHeight}"` +
        ` rx="6" fill="${COLOURS.noDataFill}" stroke="${COLOURS.axis}" stroke-dasharray="6 4"/>`,
      svgText({
        x: CHART_WIDTH / 2,
        y: boxTop + boxHeight / 2 + 6,
        text: words.noData,
        anchor: 'middle',
        size: 16,
        fill: COLOURS.mutedText,
        extra: 'class="no-data"',
      }),
    ],
  });
}
