import bidiFactory from 'bidi-js';

import type { Face, FaceFont } from './print-fonts';

const bidi = bidiFactory();

/** The base direction of a paragraph: French text is left-to-right, Arabic right-to-left. */
export type Direction = 'ltr' | 'rtl';

/** Where a line sits in the box it is drawn in. */
export type Align = 'left' | 'right' | 'center';

/**
 * A stretch of a line drawn with one font call. `text` is what to hand to pdfkit so that the
 * glyphs come out in visual order; `width` is its advance at a font size of 1 pt.
 */
export interface TextPiece {
  fontKey: string;
  text: string;
  width: number;
}

/** One line of text, laid out left to right as it will appear; `width` is at 1 pt. */
export interface TextLine {
  pieces: TextPiece[];
  width: number;
}

/** Lines of text and the font size that makes them fit. */
export interface FittedText {
  lines: TextLine[];
  size: number;
}

/** Limits for fitting a text into a width. */
export interface FitOptions {
  maxSize: number;
  /** Below this size on one line, the text is wrapped on two lines instead. */
  minSize: number;
  /** Largest size for a text wrapped on two lines; no wrapping when absent. */
  wrapSize?: number;
}

// pdfkit lays out text word by word (and so in logical word order, wrong for Arabic) unless it is
// given OpenType features; an empty list keeps the font's defaults and makes it shape whole runs.
const FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = [];

// Characters that belong to no script of their own stay in the font of the character before them,
// so that an Arabic phrase and its spaces are shaped as one run.
const INHERITS_FONT = /[\p{M}\p{Zs}\p{P}\p{S}]/u;

/** Collapses runs of white space to one space and trims the ends. */
export function normaliseSpaces(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Lays out one line of text (no line breaks): picks a font of the face for each character,
 * orders the characters visually with the Unicode Bidirectional Algorithm (UAX #9), and cuts the
 * result into pieces that pdfkit can draw one after the other, left to right.
 */
export function layoutLine(text: string, face: Face, direction: Direction): TextLine {
  let lines = laidOut.get(face);
  if (lines === undefined) {
    lines = new Map();
    laidOut.set(face, lines);
  }

  const key = `${direction}|${text}`;
  let line = lines.get(key);
  if (line === undefined) {
    line = layoutLineAnew(text, face, direction);
    if (lines.size >= LINES_KEPT) {
      lines.clear();
    }
    lines.set(key, line);
  }

  return line;
}

// Labels and dates repeat on every card of a batch. Lines are never changed once laid out, so
// they can be shared; the bound keeps a long-running server's memory in check.
const laidOut = new WeakMap<Face, Map<string, TextLine>>();
const LINES_KEPT = 10_000;

function layoutLineAnew(text: string, face: Face, direction: Direction): TextLine {
  if (text === '') {
    return { pieces: [], width: 0 };
  }

  const fonts = pickFonts(text, face);
  const embedding = bidi.getEmbeddingLevels(text, direction);
  const visual = bidi.getReorderedIndices(text, embedding);
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);

  const pieces: TextPiece[] = [];
  let start = 0;
  for (let i = 1; i <= visual.length; i++) {
    const prev = visual[i - 1];
    const next = visual[i];
    const level = embedding.levels[prev];
    const continues =
      next !== undefined &&
      fonts[next] === fonts[prev] &&
      embedding.levels[next] === level &&
      next === prev + (level % 2 === 1 ? -1 : 1);
    if (continues) {
      continue;
    }

    const from = Math.min(visual[start], prev);
    const to = Math.max(visual[start], prev);
    // Brackets in right-to-left text are drawn as their mirror images, "(" with the glyph of ")"
    // (UAX #9, rule L4). Extractors then read them as drawn: "ابن(ة)" is copied as "ابن)ة(".
    let logical = '';
    for (let j = from; j <= to; j++) {
      logical += mirrored.get(j) ?? text[j];
    }
    pieces.push(...shapePiece(logical, face.fonts[fonts[prev]], level % 2 === 1));
    start = i;
  }

  return { pieces, width: pieces.reduce((sum, piece) => sum + piece.width, 0) };
}

/**
 * Turns one run of a single font and direction, in logical order, into pdfkit calls. fontkit
 * reverses a run itself when it detects a right-to-left script in it (after shaping, which needs
 * logical order), and only then; the other cases are corrected here.
 */
function shapePiece(logical: string, { key, font }: FaceFont, rightToLeft: boolean): TextPiece[] {
  const run = font.layout(logical, FEATURES);
  const width = run.advanceWidth / font.unitsPerEm;
  const fontkitReverses = run.direction === 'rtl';

  if (rightToLeft === fontkitReverses) {
    return [{ fontKey: key, text: logical, width }];
  }

  if (rightToLeft) {
    // Neutral characters in a right-to-left run (brackets, slashes) that fontkit sees as
    // left-to-right: reverse them here. They are not joined, so no shaping is lost.
    return [{ fontKey: key, text: [...logical].reverse().join(''), width }];
  }

  // A left-to-right run that fontkit would reverse, such as Arabic-Indic digits (which the
  // algorithm keeps left-to-right): one call per character keeps their order.
  return [...logical].map((char) => ({
    fontKey: key,
    text: char,
    width: font.layout(char, FEATURES).advanceWidth / font.unitsPerEm,
  }));
}

/** The index, in the face's fallback chain, of the font that draws each UTF-16 unit of text. */
function pickFonts(text: string, face: Face): number[] {
  const chosen: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const codePoint = text.codePointAt(i) ?? 0;
    if (codePoint !== text.charCodeAt(i) || i === 0 || !INHERITS_FONT.test(text[i])) {
      chosen.push(firstFontWith(codePoint, face));
    } else {
      const previous = chosen[i - 1];
      const inherits = face.fonts[previous].font.hasGlyphForCodePoint(codePoint);
      chosen.push(inherits ? previous : firstFontWith(codePoint, face));
    }

    if (codePoint > 0xffff) {
      // The second half of a surrogate pair goes with the first.
      chosen.push(chosen[i]);
      i++;
    }
  }

  return chosen;
}

function firstFontWith(codePoint: number, face: Face): number {
  const index = face.fonts.findIndex(({ font }) => font.hasGlyphForCodePoint(codePoint));

  // No font has it: the first one draws its "missing glyph" box, which at least shows the gap.
  return Math.max(index, 0);
}

/**
 * Finds the largest size at which a text fits a width: on one line if that size is at least
 * `minSize`, otherwise (when `wrapSize` is set and the text has spaces) on two lines, with as many
 * words on the first line as the largest possible size allows. A text that fits neither way is
 * shrunk below `minSize` rather than cut: a name must be printed whole.
 */
export function fitText(
  text: string,
  face: Face,
  direction: Direction,
  width: number,
  options: FitOptions,
): FittedText {
  const oneLine = layoutLine(text, face, direction);
  const oneLineSize = Math.min(options.maxSize, width / Math.max(oneLine.width, 1e-6));
  if (oneLineSize >= options.minSize || options.wrapSize === undefined) {
    return { lines: [oneLine], size: oneLineSize };
  }

  const words = text.split(' ');
  let best: FittedText | undefined;
  for (let cut = 1; cut < words.length; cut++) {
    const first = layoutLine(words.slice(0, cut).join(' '), face, direction);
    const second = layoutLine(words.slice(cut).join(' '), face, direction);
    const size = Math.min(options.wrapSize, width / Math.max(first.width, second.width));
    if (best === undefined || size >= best.size) {
      best = { lines: [first, second], size };
    }
  }

  if (best === undefined || best.size <= oneLineSize) {
    return { lines: [oneLine], size: oneLineSize };
  }

  return best;
}

/** Where and how to draw a line of text. */
export interface LinePlacement {
  x: number;
  baseline: number;
  boxWidth: number;
  size: number;
  align: Align;
}

/** Draws a laid-out line with the document's current fill colour. */
export function drawLine(doc: PDFKit.PDFDocument, line: TextLine, at: LinePlacement): void {
  const width = line.width * at.size;
  let x = at.x;
  if (at.align === 'right') {
    x += at.boxWidth - width;
  } else if (at.align === 'center') {
    x += (at.boxWidth - width) / 2;
  }

  for (const piece of line.pieces) {
    const pieceWidth = piece.width * at.size;
    // textWidth and wordCount are pdfkit's own options (its line wrapper passes them) that spare
    // it measuring the text again; wordCount only matters with word spacing, unused here.
    const options: PDFKit.Mixins.TextOptions & { textWidth: number; wordCount: number } = {
      lineBreak: false,
      baseline: 'alphabetic',
      features: FEATURES,
      textWidth: pieceWidth,
      wordCount: 1,
    };
    doc.font(piece.fontKey).fontSize(at.size);
    doc.text(piece.text, x, at.baseline, options);
    x += pieceWidth;
  }
}

/**
 * A laid-out line as SVG path data: the outlines of its glyphs, shaped and placed exactly as
 * `drawLine` draws them in a PDF. An image drawn from it needs no font at all, and no renderer's
 * own shaping or choice of fonts can change it.
 */
export function lineAsSvgPath(line: TextLine, face: Face, at: LinePlacement): string {
  const width = line.width * at.size;
  let x = at.x;
  if (at.align === 'right') {
    x += at.boxWidth - width;
  } else if (at.align === 'center') {
    x += (at.boxWidth - width) / 2;
  }

  const outlines: string[] = [];
  for (const piece of line.pieces) {
    const { font } = face.fonts.find(({ key }) => key === piece.fontKey) ?? face.fonts[0];
    const scale = at.size / font.unitsPerEm;
    const run = font.layout(piece.text, FEATURES);
    let pen = x;
    run.glyphs.forEach((glyph, index) => {
      const position = run.positions[index];
      // Font units grow upwards, SVG's downwards.
      const outline = glyph.path
        .scale(scale, -scale)
        .translate(pen + position.xOffset * scale, at.baseline - position.yOffset * scale)
        .toSVG();
      if (outline !== '') {
        outlines.push(outline);
      }
      pen += position.xAdvance * scale;
    });
    x += piece.width * at.size;
  }

  return outlines.join('');
}
