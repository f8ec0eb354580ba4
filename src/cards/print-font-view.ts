import type { Font, Glyph, GlyphRun } from 'fontkit';

// Text extractors (poppler, pdf.js) start a new word where the gap between two glyphs passes a
// tenth of the font size. IBM Plex Sans Arabic spaces ر and ز from a following ي by 0.111 em,
// so "الإدريسي" was extracted as "الإدر يسي". Gaps inside a word are capped below that.
const MAX_GAP_EM = 0.08;

// Every card repeats the same labels, and each text is shaped at least twice (measured, then drawn
// by pdfkit), while shaping Arabic is costly: shaped runs are kept. The bound keeps a long-running
// server's memory in check; past it, the cache starts again empty.
const SHAPED_RUNS_KEPT = 20_000;

/**
 * The font as the card measures and pdfkit draws it: fontkit's font, whose `layout` results are
 * cached and changed in two ways, both for the sake of copied and extracted text.
 *
 * - Kerning that opens a gap wider than MAX_GAP_EM inside a word is reduced to it (a difference of
 *   about 0.03 em, a tenth of a millimetre at card sizes).
 * - A glyph that stands for several characters in right-to-left text (the lam-alef ligature لا,
 *   for instance) lists them in visual order. pdfkit writes each glyph's characters into the
 *   PDF's text map (ToUnicode) as fontkit lists them, in reading order; extractors read a line in
 *   drawing order and then reverse right-to-left stretches as a whole, which also reversed the
 *   characters inside ligatures: "الإدريسي" came out as "اإلدريسي".
 */
export function printView(font: Font): Font {
  const visualGlyphs = new Map<number, Glyph>();
  const visualGlyph = (glyph: Glyph): Glyph => {
    let visual = visualGlyphs.get(glyph.id);
    if (visual === undefined) {
      // Everything else (id, advance, outline) still comes from fontkit's glyph.
      visual = Object.create(glyph, { codePoints: { value: [...glyph.codePoints].reverse() } });
      visualGlyphs.set(glyph.id, visual as Glyph);
    }

    return visual as Glyph;
  };

  const maxGap = MAX_GAP_EM * font.unitsPerEm;
  const adjust = (run: GlyphRun): GlyphRun => {
    run.positions.forEach((position, index) => {
      const excess = position.xAdvance - run.glyphs[index].advanceWidth - maxGap;
      if (excess > 0) {
        position.xAdvance -= excess;
        position.xOffset = Math.max(0, position.xOffset - excess);
      }
    });
    if (run.direction === 'rtl') {
      run.glyphs = run.glyphs.map((glyph) =>
        glyph.codePoints.length > 1 ? visualGlyph(glyph) : glyph,
      );
    }

    return run;
  };

  const shaped = new Map<string, GlyphRun>();
  const layout = (text: string, features: string[] = []): GlyphRun => {
    const key = `${features.join(',')}|${text}`;
    let run = shaped.get(key);
    if (run === undefined) {
      run = adjust(font.layout(text, features));
      if (shaped.size >= SHAPED_RUNS_KEPT) {
        shaped.clear();
      }
      shaped.set(key, run);
    }

    // pdfkit scales the positions it is given in place: hand out copies.
    return new CopiedRun(run) as unknown as GlyphRun;
  };

  return new Proxy(font, {
    // Only layout(text, features[]) is called, by print-text.ts and by pdfkit. fontkit computes
    // and caches tables lazily through getters: everything else runs on the real font.
    get: (target, property) =>
      property === 'layout' ? layout : Reflect.get(target, property, target),
  });
}

/**
 * A shaped run with its own copy of the positions: the part of fontkit's GlyphRun that pdfkit and
 * print-text.ts read. A plain class keeps these hot objects fast to create and read.
 */
class CopiedRun {
  readonly glyphs: Glyph[];
  readonly positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
  readonly direction: string;

  constructor(run: GlyphRun) {
    this.glyphs = run.glyphs;
    this.direction = run.direction;
    this.positions = run.positions.map(({ xAdvance, yAdvance, xOffset, yOffset }) => ({
      xAdvance,
      yAdvance,
      xOffset,
      yOffset,
    }));
  }

  /** Total advance, from the positions as they are now (pdfkit scales them after layout). */
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) {
      width += position.xAdvance;
    }

    return width;
  }
}
