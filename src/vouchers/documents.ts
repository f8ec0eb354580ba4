import PDFDocument from 'pdfkit';
import { Resvg } from '@resvg/resvg-js';

import { cardFaces, registerCardFonts } from '../cards/print-fonts';
import { drawQr } from '../cards/print-qr';
import {
  drawLine,
  layoutLine,
  lineAsSvgPath,
  normaliseSpaces,
  type Align,
  type Direction,
} from '../cards/print-text';
import { createQr } from '../cards/qr';

/** What a printed or downloaded voucher shows; texts arrive formatted for display. */
export interface VoucherSheet {
  /** The QR text: the voucher's verification URL. */
  qrText: string;
  /** The short code, formatted (`K7XD-93FA`), typed at the counter when the QR will not scan. */
  code: string;
  holder: { latin: string; arabic: string | null };
  offer: { fr: string; ar: string };
  partner: string;
  validUntil: { fr: string; ar: string };
  labels: {
    club: { fr: string; ar: string };
    heading: { fr: string; ar: string };
    code: { fr: string; ar: string };
    validUntil: { fr: string; ar: string };
  };
}

/** A6 portrait, in PDF points (1/72 inch): the size of a postcard, and a phone screen's shape. */
const MM = 72 / 25.4;
const PAGE = { width: 105 * MM, height: 148 * MM };
const MARGIN = 8 * MM;
const COLUMN = PAGE.width - 2 * MARGIN;
const QR_WIDTH = 48 * MM;

/** 1240 pixels across 105 mm: 300 dots per inch. */
const PNG_WIDTH_PX = 1240;

const COLOUR = { band: '#0d5c4a', accent: '#c9a54c', ink: '#17212b', muted: '#5b6770', white: '#ffffff' };

type Weight = 'regular' | 'bold';

/** One thing drawn on the voucher, in points from the page's top-left corner. */
type Mark =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; colour: string }
  | { kind: 'qr'; text: string; x: number; y: number; width: number }
  | {
      kind: 'text';
      text: string;
      weight: Weight;
      direction: Direction;
      size: number;
      baseline: number;
      align: Align;
      colour: string;
    };

/**
 * The voucher's layout, computed once and drawn by either renderer: French and Arabic side by
 * side or one under the other, the QR large in the middle, the short code under it.
 */
function layout(sheet: VoucherSheet): Mark[] {
  const marks: Mark[] = [
    { kind: 'rect', x: 0, y: 0, width: PAGE.width, height: 16 * MM, colour: COLOUR.band },
    { kind: 'rect', x: 0, y: 16 * MM, width: PAGE.width, height: 1.2, colour: COLOUR.accent },
  ];
  // A text at the largest size up to `maxSize` that fits the column on one line.
  const text = (
    value: string,
    options: { weight: Weight; direction: Direction; maxSize: number; baseline: number; align: Align; colour: string },
  ) => {
    const line = layoutLine(normaliseSpaces(value), cardFaces()[options.weight], options.direction);
    const size = Math.min(options.maxSize, COLUMN / Math.max(line.width, 1e-6));
    marks.push({ kind: 'text', text: normaliseSpaces(value), ...options, size });
  };
  const fr = { direction: 'ltr' as const };
  const ar = { direction: 'rtl' as const };

  text(sheet.labels.club.fr, { ...fr, weight: 'bold', maxSize: 12, baseline: 10 * MM, align: 'left', colour: COLOUR.white });
  text(sheet.labels.club.ar, { ...ar, weight: 'bold', maxSize: 13, baseline: 10 * MM, align: 'right', colour: COLOUR.white });

  let y = 26 * MM;
  text(sheet.labels.heading.fr, { ...fr, weight: 'bold', maxSize: 15, baseline: y, align: 'left', colour: COLOUR.ink });
  text(sheet.labels.heading.ar, { ...ar, weight: 'bold', maxSize: 16, baseline: y, align: 'right', colour: COLOUR.ink });
  y += 9 * MM;
  text(sheet.offer.fr, { ...fr, weight: 'bold', maxSize: 12, baseline: y, align: 'center', colour: COLOUR.ink });
  y += 6.5 * MM;
  text(sheet.offer.ar, { ...ar, weight: 'bold', maxSize: 13, baseline: y, align: 'center', colour: COLOUR.ink });
  y += 5.5 * MM;
  text(sheet.partner, { ...fr, weight: 'regular', maxSize: 10, baseline: y, align: 'center', colour: COLOUR.muted });

  y += 4 * MM;
  marks.push({ kind: 'qr', text: sheet.qrText, x: (PAGE.width - QR_WIDTH) / 2, y, width: QR_WIDTH });
  y += QR_WIDTH + 10 * MM;
  text(sheet.code, { ...fr, weight: 'bold', maxSize: 26, baseline: y, align: 'center', colour: COLOUR.ink });
  y += 5 * MM;
  text(sheet.labels.code.fr, { ...fr, weight: 'regular', maxSize: 7.5, baseline: y, align: 'center', colour: COLOUR.muted });
  y += 4.5 * MM;
  text(sheet.labels.code.ar, { ...ar, weight: 'regular', maxSize: 8, baseline: y, align: 'center', colour: COLOUR.muted });

  y = PAGE.height - 15 * MM;
  text(sheet.holder.latin, { ...fr, weight: 'bold', maxSize: 11, baseline: y, align: 'left', colour: COLOUR.ink });
  if (sheet.holder.arabic) {
    y += 6 * MM;
    text(sheet.holder.arabic, { ...ar, weight: 'bold', maxSize: 12, baseline: y, align: 'right', colour: COLOUR.ink });
  }
  y = PAGE.height - 4 * MM;
  text(`${sheet.labels.validUntil.fr} ${sheet.validUntil.fr}`, {
    ...fr, weight: 'regular', maxSize: 8.5, baseline: y, align: 'left', colour: COLOUR.muted,
  });
  text(`${sheet.labels.validUntil.ar} ${sheet.validUntil.ar}`, {
    ...ar, weight: 'regular', maxSize: 9, baseline: y, align: 'right', colour: COLOUR.muted,
  });

  return marks;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The voucher as an SVG document, in points. Its text is drawn as the glyphs' outlines, shaped
 * and ordered as in the PDF, each with the words as its title.
 */
export function voucherSvg(sheet: VoucherSheet): string {
  const parts = layout(sheet).map((mark) => {
    if (mark.kind === 'rect') {
      return `<rect x="${mark.x}" y="${mark.y}" width="${mark.width}" height="${mark.height}" fill="${mark.colour}"/>`;
    }
    if (mark.kind === 'qr') {
      const { modules } = createQr(mark.text);
      const quiet = 4;
      const unit = mark.width / modules.size;
      let path = '';
      for (let row = 0; row < modules.size; row += 1) {
        for (let col = 0; col < modules.size; col += 1) {
          if (modules.get(row, col)) {
            path += `M${col} ${row}h1v1h-1z`;
          }
        }
      }

      return (
        `<rect x="${mark.x - quiet * unit}" y="${mark.y - quiet * unit}" width="${mark.width + 2 * quiet * unit}" ` +
        `height="${mark.width + 2 * quiet * unit}" fill="#ffffff"/>` +
        `<path transform="translate(${mark.x} ${mark.y}) scale(${unit})" d="${path}" fill="#000000" ` +
        'shape-rendering="crispEdges"/>'
      );
    }
    const face = cardFaces()[mark.weight];
    const outline = lineAsSvgPath(layoutLine(mark.text, face, mark.direction), face, {
      x: MARGIN,
      boxWidth: COLUMN,
      baseline: mark.baseline,
      size: mark.size,
      align: mark.align,
    });

    return `<path d="${outline}" fill="${mark.colour}"><title>${escapeXml(mark.text)}</title></path>`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm" ` +
      `viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

/** The voucher as a PNG at 300 dots per inch, to show on a phone or print. */
export function voucherPng(sheet: VoucherSheet): Buffer {
  const renderer = new Resvg(voucherSvg(sheet), {
    fitTo: { mode: 'width', value: PNG_WIDTH_PX },
    font: { loadSystemFonts: false },
  });

  return renderer.render().asPng();
}

/** The voucher as an A6 PDF, with real text in both scripts and a vector QR. */
export function voucherPdf(sheet: VoucherSheet): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margin: 0,
      info: { Title: `${sheet.labels.heading.fr} ${sheet.code}`, Creator: 'NadiPass' },
      lang: 'fr-MA',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    try {
      registerCardFonts(doc);
      const faces = cardFaces();
      for (const mark of layout(sheet)) {
        if (mark.kind === 'rect') {
          doc.rect(mark.x, mark.y, mark.width, mark.height).fill(mark.colour);
        } else if (mark.kind === 'qr') {
          drawQr(doc, mark.text, { x: mark.x, y: mark.y, symbolWidth: mark.width });
        } else {
          doc.fillColor(mark.colour);
          drawLine(doc, layoutLine(mark.text, faces[mark.weight], mark.direction), {
            x: MARGIN,
            boxWidth: COLUMN,
            baseline: mark.baseline,
            size: mark.size,
            align: mark.align,
          });
        }
      }
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}
