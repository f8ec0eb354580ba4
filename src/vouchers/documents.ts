import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';

import { qrPng } from '../cards/qr';
import { asciiDisplayName } from '../credentials/tokens';
import { formatDate } from '../time';
import { canDraw, drawText, GLYPH_HEIGHT, GLYPH_WIDTH } from './code-font';
import { formatVoucherCode } from './repository';

/** What a printed voucher or card shows besides its QR. */
export interface CredentialSheet {
  /** The QR text: the credential's URL. */
  url: string;
  /** 'Bon' or 'Carte de membre': the document's heading. */
  heading: string;
  holderName: string;
  /** The offer and partner, for a voucher. */
  lines: string[];
  /** The voucher's short code, typed at the counter when the QR will not scan. */
  code?: string;
  /** Last valid day, YYYY-MM-DD. */
  validUntil: string;
}

/**
 * A PNG to show on a phone or print: the QR, then the short code in large type to type at the
 * counter when the QR will not scan. A card's PNG is its QR alone.
 */
export async function credentialPng(sheet: CredentialSheet): Promise<Buffer> {
  const qr = PNG.sync.read(await qrPng(sheet.url, 6));
  const code = sheet.code ? formatVoucherCode(sheet.code) : '';
  if (!code || !canDraw(code)) {
    return PNG.sync.write(qr);
  }

  const scale = 5;
  const textWidth = code.length * (GLYPH_WIDTH + 1) * scale;
  const width = Math.max(qr.width, textWidth + 8 * scale);
  const image = new PNG({ width, height: qr.height + (GLYPH_HEIGHT + 4) * scale });
  image.data.fill(255);
  PNG.bitblt(qr, image, 0, 0, qr.width, qr.height, Math.floor((width - qr.width) / 2), 0);
  drawText(image, code, Math.floor((width - textWidth) / 2), qr.height + scale, scale);

  return PNG.sync.write(image);
}

/**
 * An A6 PDF of a voucher or card: heading, holder, offer, QR, short code and last valid day.
 * Written with pdfkit's standard fonts, which cover French but not Arabic script.
 */
export async function credentialPdf(sheet: CredentialSheet): Promise<Buffer> {
  const qr = await qrPng(sheet.url, 8);
  const doc = new PDFDocument({
    size: 'A6',
    margin: 24,
    info: { Title: `NadiPass - ${sheet.heading}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );

  doc.font('Helvetica-Bold').fontSize(14).text(`NadiPass - ${sheet.heading}`, { align: 'center' });
  doc.font('Helvetica').fontSize(10).text('Nadi Al Mouadaf', { align: 'center' }).moveDown(0.5);
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(asciiDisplayName(sheet.holderName, 60), { align: 'center' });
  for (const line of sheet.lines) {
    doc.font('Helvetica').fontSize(10).text(line, { align: 'center' });
  }
  const size = 170;
  doc.image(qr, (doc.page.width - size) / 2, doc.y + 8, { width: size, height: size });
  doc.y += size + 16;
  if (sheet.code) {
    doc.font('Courier-Bold').fontSize(20).text(formatVoucherCode(sheet.code), { align: 'center' });
  }
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`Valable jusqu'au ${formatDate(sheet.validUntil, 'fr')}`, { align: 'center' });
  doc.end();

  return done;
}
