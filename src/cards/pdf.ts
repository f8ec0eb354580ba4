import PDFDocument from 'pdfkit';

import { cardFaces, registerCardFonts, type Face } from './print-fonts';
import { drawQr } from './print-qr';
import {
  drawLine,
  fitText,
  layoutLine,
  normaliseSpaces,
  type Align,
  type Direction,
  type FittedText,
  type TextLine,
} from './print-text';

/** What is printed on a membership card; texts arrive already formatted for display. */
export interface PrintableCard {
  /** Holder's name in Latin script, up to 60 characters. */
  holderNameLatin: string;
  holderNameArabic: string;
  /** The human membership number, e.g. "100001". */
  membershipNumber: string;
  /** For a dependant's card: whose dependant they are, e.g. "Enfant de Ahmed Bennani". */
  relation?: { fr: string; ar: string };
  /** Last day of validity, e.g. "31/12/2026". */
  validUntil: { fr: string; ar: string };
  /** The QR content: the verification URL ending in the card's signed token. */
  qrText: string;
}

/** Points per millimetre (a PDF point is 1/72 inch). */
const MM = 72 / 25.4;

/** ID-1 format (ISO/IEC 7810), the size of a bank card. */
const CARD_WIDTH = 85.6 * MM;
const CARD_HEIGHT = 54 * MM;

const A4_WIDTH = 210 * MM;
const A4_HEIGHT = 297 * MM;

const COLOUR = {
  band: '#0d5c4a',
  accent: '#c9a54c',
  ink: '#17212b',
  muted: '#5b6770',
  rule: '#cfd9d5',
  white: '#ffffff',
};

const BAND_HEIGHT = 10.5 * MM;
const ACCENT_HEIGHT = 0.9;
const PADDING = 3.5 * MM;

// The symbol is 24 mm wide whatever its version, above our 22 mm minimum for codes scanned from
// print: at version 12 (65 modules) a module is 0.37 mm. Its quiet zone (4 modules, about 1.5 mm)
// is kept clear by the gap before the text column and the margin to the card's edge.
const QR_SYMBOL = 24 * MM;
const QR_X = CARD_WIDTH - 3.6 * MM - QR_SYMBOL;
const BODY_TOP = BAND_HEIGHT + ACCENT_HEIGHT;
const QR_Y = BODY_TOP + (CARD_HEIGHT - BODY_TOP - QR_SYMBOL) / 2;
const COLUMN_X = PADDING;
const COLUMN_WIDTH = QR_X - 2.4 * MM - COLUMN_X;

const NAMES_TOP = BODY_TOP + 3.4 * MM;
const FIELDS_BOTTOM = CARD_HEIGHT - 3.2 * MM;
const FIELD_ROW_HEIGHT = 12.5;

// Vertical metrics as fractions of the font size: how far letters rise above and fall below the
// baseline, and the distance between baselines. Arabic needs more room for its tall letters with
// hamza and the descending tails of ي, ر, م.
const METRICS: Record<Direction, { ascent: number; descent: number; leading: number }> = {
  ltr: { ascent: 0.74, descent: 0.24, leading: 1.2 },
  rtl: { ascent: 0.95, descent: 0.45, leading: 1.45 },
};

/** The fixed bilingual wording of the card. */
const WORDING = {
  clubFr: 'Nadi Al Mouadaf',
  clubAr: 'نادي الموظف',
  cardFr: 'Carte de membre',
  cardAr: 'بطاقة العضوية',
  numberFr: 'N° de membre',
  numberAr: 'رقم العضوية',
  validFr: 'Valable jusqu’au',
  validAr: 'صالحة إلى غاية',
};

/** One card, one page of ID-1 size (85.6 × 54 mm). */
export async function renderCardPdf(card: PrintableCard): Promise<Buffer> {
  return renderDocument(`Carte de membre ${card.membershipNumber}`, (doc) => {
    doc.addPage({ size: [CARD_WIDTH, CARD_HEIGHT], margin: 0 });
    drawCard(doc, card, 0);
  });
}

const SHEET = {
  columns: 2,
  rows: 5,
  columnGap: 10 * MM,
  rowGap: 2 * MM,
  // Colour that runs past the cut line, so that a cut slightly off still leaves no white sliver.
  bleed: 1 * MM,
  markOffset: 1.5 * MM,
  markLength: 3.5 * MM,
  markWidth: 0.3,
};
const CARDS_PER_SHEET = SHEET.columns * SHEET.rows;
const GRID_WIDTH = SHEET.columns * CARD_WIDTH + (SHEET.columns - 1) * SHEET.columnGap;
const GRID_HEIGHT = SHEET.rows * CARD_HEIGHT + (SHEET.rows - 1) * SHEET.rowGap;
const GRID_LEFT = (A4_WIDTH - GRID_WIDTH) / 2;
const GRID_TOP = (A4_HEIGHT - GRID_HEIGHT) / 2;

/**
 * A4 sheets, 10 ID-1 cards per page (2 columns × 5 rows) with cut marks, any number of cards.
 * Cards are spaced so that each one has its own marks and its own cuts. Throws a TypeError when
 * given no card, since a PDF needs at least one page.
 */
export async function renderCardSheetPdf(cards: PrintableCard[]): Promise<Buffer> {
  if (cards.length === 0) {
    throw new TypeError('renderCardSheetPdf needs at least one card');
  }

  return renderDocument('Cartes de membre', (doc) => {
    for (let first = 0; first < cards.length; first += CARDS_PER_SHEET) {
      doc.addPage({ size: 'A4', margin: 0 });
      const onSheet = cards.slice(first, first + CARDS_PER_SHEET);
      drawCutMarks(doc, onSheet.length);
      onSheet.forEach((card, slot) => {
        const { x, y } = slotOrigin(slot);
        doc.save();
        doc.translate(x, y);
        drawCard(doc, card, SHEET.bleed);
        doc.restore();
      });
    }
  });
}

function slotOrigin(slot: number): { x: number; y: number } {
  const column = slot % SHEET.columns;
  const row = Math.floor(slot / SHEET.columns);

  return {
    x: GRID_LEFT + column * (CARD_WIDTH + SHEET.columnGap),
    y: GRID_TOP + row * (CARD_HEIGHT + SHEET.rowGap),
  };
}

/**
 * Short lines in line with each card's edges, starting a little away from its corners. The
 * horizontal ones go into the gaps between columns and the side margins; the vertical ones only
 * where no card lies above or below, since the gaps between rows are too narrow for them.
 */
function drawCutMarks(doc: PDFKit.PDFDocument, cardCount: number): void {
  const { markOffset: offset, markLength: length } = SHEET;

  for (let slot = 0; slot < cardCount; slot++) {
    const { x, y } = slotOrigin(slot);
    const hasCardAbove = slot >= SHEET.columns;
    const hasCardBelow = slot + SHEET.columns < cardCount;
    for (const edgeY of [y, y + CARD_HEIGHT]) {
      doc.moveTo(x - offset, edgeY).lineTo(x - offset - length, edgeY);
      doc.moveTo(x + CARD_WIDTH + offset, edgeY).lineTo(x + CARD_WIDTH + offset + length, edgeY);
    }
    for (const edgeX of [x, x + CARD_WIDTH]) {
      if (!hasCardAbove) {
        doc.moveTo(edgeX, y - offset).lineTo(edgeX, y - offset - length);
      }
      if (!hasCardBelow) {
        const bottom = y + CARD_HEIGHT;
        doc.moveTo(edgeX, bottom + offset).lineTo(edgeX, bottom + offset + length);
      }
    }
  }
  doc.lineWidth(SHEET.markWidth).strokeColor('#000000').stroke();
}

/** Builds a document with the card fonts registered, and resolves with its bytes. */
function renderDocument(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      autoFirstPage: false,
      info: { Title: title, Creator: 'NadiPass' },
      lang: 'fr-MA',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    try {
      registerCardFonts(doc);
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

/** Draws one card with its top-left corner at the current origin. */
function drawCard(doc: PDFKit.PDFDocument, card: PrintableCard, bleed: number): void {
  drawHeader(doc, bleed);
  drawQr(doc, card.qrText, { x: QR_X, y: QR_Y, symbolWidth: QR_SYMBOL });

  const fields = fieldRows(card);
  const fieldsTop = FIELDS_BOTTOM - fields.length * FIELD_ROW_HEIGHT;
  drawHolder(doc, card, fieldsTop - 2.5 * MM);

  doc.moveTo(COLUMN_X, fieldsTop).lineTo(COLUMN_X + COLUMN_WIDTH, fieldsTop);
  doc.lineWidth(0.4).strokeColor(COLOUR.rule).stroke();
  fields.forEach((row, index) => {
    drawFieldRow(doc, row, fieldsTop + (index + 0.72) * FIELD_ROW_HEIGHT);
  });
}

let headerLines: Record<'clubFr' | 'clubAr' | 'cardFr' | 'cardAr', TextLine> | undefined;

function drawHeader(doc: PDFKit.PDFDocument, bleed: number): void {
  const faces = cardFaces();
  // The header never changes: lay it out once per process.
  headerLines ??= {
    clubFr: layoutLine(WORDING.clubFr, faces.bold, 'ltr'),
    clubAr: layoutLine(WORDING.clubAr, faces.bold, 'rtl'),
    cardFr: layoutLine(WORDING.cardFr, faces.regular, 'ltr'),
    cardAr: layoutLine(WORDING.cardAr, faces.regular, 'rtl'),
  };

  doc.rect(-bleed, -bleed, CARD_WIDTH + 2 * bleed, BAND_HEIGHT + bleed).fill(COLOUR.band);
  doc.rect(-bleed, BAND_HEIGHT, CARD_WIDTH + 2 * bleed, ACCENT_HEIGHT).fill(COLOUR.accent);

  const box = { x: PADDING, boxWidth: CARD_WIDTH - 2 * PADDING };
  doc.fillColor(COLOUR.white);
  drawLine(doc, headerLines.clubFr, { ...box, baseline: 14, size: 10, align: 'left' });
  drawLine(doc, headerLines.clubAr, { ...box, baseline: 14.5, size: 11.5, align: 'right' });
  doc.fillColor(COLOUR.white, 0.82);
  drawLine(doc, headerLines.cardFr, { ...box, baseline: 23.5, size: 5.8, align: 'left' });
  drawLine(doc, headerLines.cardAr, { ...box, baseline: 24, size: 6.4, align: 'right' });
  doc.fillOpacity(1);
}

interface Block {
  fitted: FittedText;
  direction: Direction;
  colour: string;
  /** Space left above the block. */
  gap: number;
}

/** Block sizes in points: largest, smallest on one line, and largest when wrapped on two lines. */
const HOLDER_SIZES = {
  latin: { maxSize: 10.5, minSize: 8, wrapSize: 8.5 },
  arabic: { maxSize: 11.5, minSize: 8.5, wrapSize: 9.5 },
  relationFr: { maxSize: 6.8, minSize: 5.6, wrapSize: 5.8 },
  relationAr: { maxSize: 7.4, minSize: 6, wrapSize: 6.4 },
};

/**
 * The holder's names and relation, between the top of the body and `bottom`. A long name is
 * first shrunk, then wrapped; if the whole still runs into the fields below (long names and a
 * relation together), every size is scaled down until it fits.
 */
function drawHolder(doc: PDFKit.PDFDocument, card: PrintableCard, bottom: number): void {
  let blocks: Block[] = [];
  let height = 0;
  for (let scale = 1; scale >= 0.5; scale -= 0.05) {
    blocks = holderBlocks(card, scale);
    height = blocksHeight(blocks);
    if (NAMES_TOP + height <= bottom) {
      break;
    }
  }

  // Short names sit in the middle of the free space rather than leave a hole above the fields.
  let top = NAMES_TOP + Math.max(0, (bottom - NAMES_TOP - height) / 2);
  for (const block of blocks) {
    const { ascent, descent, leading } = METRICS[block.direction];
    const { size, lines } = block.fitted;
    top += block.gap;
    doc.fillColor(block.colour);
    lines.forEach((line, index) => {
      drawLine(doc, line, {
        x: COLUMN_X,
        boxWidth: COLUMN_WIDTH,
        baseline: top + ascent * size + index * leading * size,
        size,
        align: block.direction === 'rtl' ? 'right' : 'left',
      });
    });
    top += (ascent + descent + (lines.length - 1) * leading) * size;
  }
}

function holderBlocks(card: PrintableCard, scale: number): Block[] {
  const faces = cardFaces();
  const fit = (text: string, face: Face, direction: Direction, sizes: typeof HOLDER_SIZES.latin) =>
    fitText(normaliseSpaces(text), face, direction, COLUMN_WIDTH, {
      maxSize: sizes.maxSize * scale,
      minSize: sizes.minSize * scale,
      wrapSize: sizes.wrapSize * scale,
    });

  const blocks: Block[] = [
    {
      fitted: fit(card.holderNameLatin, faces.semibold, 'ltr', HOLDER_SIZES.latin),
      direction: 'ltr',
      colour: COLOUR.ink,
      gap: 0,
    },
    {
      fitted: fit(card.holderNameArabic, faces.semibold, 'rtl', HOLDER_SIZES.arabic),
      direction: 'rtl',
      colour: COLOUR.ink,
      gap: 1.2 * scale,
    },
  ];
  if (card.relation !== undefined) {
    blocks.push(
      {
        fitted: fit(card.relation.fr, faces.regular, 'ltr', HOLDER_SIZES.relationFr),
        direction: 'ltr',
        colour: COLOUR.muted,
        gap: 3 * scale,
      },
      {
        fitted: fit(card.relation.ar, faces.regular, 'rtl', HOLDER_SIZES.relationAr),
        direction: 'rtl',
        colour: COLOUR.muted,
        gap: 0.8 * scale,
      },
    );
  }

  return blocks;
}

function blocksHeight(blocks: Block[]): number {
  return blocks.reduce((height, block) => {
    const { ascent, descent, leading } = METRICS[block.direction];
    const { size, lines } = block.fitted;

    return height + block.gap + (ascent + descent + (lines.length - 1) * leading) * size;
  }, 0);
}

/** A line of the fields at the bottom: French label on the left, Arabic label on the right. */
interface FieldRow {
  labelFr?: string;
  labelAr?: string;
  value: string;
  valueDirection: Direction;
  /** Where the value goes: centred in the column, or next to the one label of its language. */
  valueAlign: Align;
}

const LABEL_SIZE = { ltr: 5.6, rtl: 6.2 };
const VALUE_SIZE = 9.5;
const LABEL_GAP = 2.5 * MM;

function fieldRows(card: PrintableCard): FieldRow[] {
  const rows: FieldRow[] = [
    {
      labelFr: WORDING.numberFr,
      labelAr: WORDING.numberAr,
      value: normaliseSpaces(card.membershipNumber),
      valueDirection: 'ltr',
      valueAlign: 'center',
    },
  ];
  const validFr = normaliseSpaces(card.validUntil.fr);
  const validAr = normaliseSpaces(card.validUntil.ar);
  if (validFr === validAr) {
    rows.push({
      labelFr: WORDING.validFr,
      labelAr: WORDING.validAr,
      value: validFr,
      valueDirection: 'ltr',
      valueAlign: 'center',
    });
  } else {
    // Dates written differently in each language (Arabic-Indic digits, month names) each get a
    // line, next to the label of their own language.
    rows.push(
      { labelFr: WORDING.validFr, value: validFr, valueDirection: 'ltr', valueAlign: 'left' },
      { labelAr: WORDING.validAr, value: validAr, valueDirection: 'rtl', valueAlign: 'right' },
    );
  }

  return rows;
}

function drawFieldRow(doc: PDFKit.PDFDocument, row: FieldRow, baseline: number): void {
  const faces = cardFaces();
  const box = { x: COLUMN_X, boxWidth: COLUMN_WIDTH, baseline };
  let freeLeft = COLUMN_X;
  let freeRight = COLUMN_X + COLUMN_WIDTH;

  doc.fillColor(COLOUR.muted);
  if (row.labelFr !== undefined) {
    const label = layoutLine(row.labelFr, faces.regular, 'ltr');
    drawLine(doc, label, { ...box, size: LABEL_SIZE.ltr, align: 'left' });
    freeLeft += label.width * LABEL_SIZE.ltr + LABEL_GAP;
  }
  if (row.labelAr !== undefined) {
    const label = layoutLine(row.labelAr, faces.regular, 'rtl');
    drawLine(doc, label, { ...box, size: LABEL_SIZE.rtl, align: 'right' });
    freeRight -= label.width * LABEL_SIZE.rtl + LABEL_GAP;
  }

  // The value keeps its size unless the labels leave too little room, as a long date might.
  const value = layoutLine(row.value, faces.semibold, row.valueDirection);
  const room = freeRight - freeLeft;
  const size = Math.min(VALUE_SIZE, room / Math.max(value.width, 1e-6));
  const width = value.width * size;
  let x: number;
  if (row.valueAlign === 'left') {
    x = freeLeft;
  } else if (row.valueAlign === 'right') {
    x = freeRight - width;
  } else {
    // Centred on the column, so that the values of all rows line up, unless a label is in the way.
    const centred = COLUMN_X + (COLUMN_WIDTH - width) / 2;
    x = Math.min(Math.max(centred, freeLeft), freeRight - width);
  }
  doc.fillColor(COLOUR.ink);
  drawLine(doc, value, { x, boxWidth: width, baseline, size, align: 'left' });
}
