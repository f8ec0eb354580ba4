import { createQr } from './qr';

/** Width of the light margin the QR specification asks for around a symbol, in modules. */
const QUIET_ZONE_MODULES = 4;

/** Where to draw a QR code: top-left corner and width of the symbol, quiet zone excluded. */
export interface QrPlacement {
  x: number;
  y: number;
  symbolWidth: number;
}

/**
 * Draws a QR code (error correction M) as vector rectangles, on a white square that includes the
 * quiet zone around the symbol; the caller keeps that zone clear of anything else.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, at: QrPlacement): void {
  // The segments and the mask are given (see qr.ts), which spares the library its costly searches
  // over mixed-mode segmentations and over the eight masks.
  const { modules } = createQr(text);
  const moduleWidth = at.symbolWidth / modules.size;
  const quiet = QUIET_ZONE_MODULES * moduleWidth;

  const fullWidth = at.symbolWidth + 2 * quiet;
  doc.rect(at.x - quiet, at.y - quiet, fullWidth, fullWidth).fill('#ffffff');

  // One rectangle per horizontal run of dark modules, all in one path filled once: far fewer
  // operators than a square per module, and no hairline seams between neighbouring squares.
  // Drawn in module units, so the rectangles are small integers, and written as one piece of
  // content: pdfkit's rect() costs an allocation per call, a thousand and more per code.
  const { size, data } = modules;
  const rectangles: string[] = [];
  for (let row = 0; row < size; row++) {
    // The matrix is stored row by row, one byte per module, non-zero for dark.
    const rowStart = row * size;
    let col = 0;
    while (col < size) {
      if (data[rowStart + col] === 0) {
        col++;
        continue;
      }

      const runStart = col;
      while (col < size && data[rowStart + col] !== 0) {
        col++;
      }
      rectangles.push(`${runStart} ${row} ${col - runStart} 1 re`);
    }
  }

  doc.save();
  doc.transform(moduleWidth, 0, 0, moduleWidth, at.x, at.y);
  doc.fillColor('#000000');
  doc.addContent(`${rectangles.join('\n')}\nf`);
  doc.restore();
}
