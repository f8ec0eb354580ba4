import { cardFaces } from './print-fonts';
import { layoutLine, lineAsSvgPath, normaliseSpaces } from './print-text';
import { createQr } from './qr';

/** What the card face shows; texts arrive formatted for display. */
export interface CardFace {
  holderNameLatin: string;
  holderNameArabic: string | null;
  membershipNumber: string;
  /** For a dependant: e.g. "Enfant de Ahmed Bennani" and its Arabic counterpart. */
  relation: { fr: string; ar: string } | null;
  validUntil: { fr: string; ar: string };
  /** The QR text: the verification URL ending in the card's token. */
  qrText: string;
  labels: { club: string; clubAr: string; number: string; validUntil: string };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** How a text of the card face looks; Arabic text ends at `x`, other text starts there. */
interface TextStyle {
  size: number;
  bold?: boolean;
  fill: string;
  arabic?: boolean;
  /** Room for the text: a longer one is drawn smaller, never cut. */
  maxWidth?: number;
}

/**
 * The card face as SVG at ID-1 size (85.6 × 54 mm; one user unit is 0.1 mm), with a vector QR.
 * By default its text is text, left to the viewer's engine to shape and order, and Arabic is
 * anchored by its right end, where an Arabic line ends. With `outlines`, the text is drawn as the
 * outlines of the card's own typeface instead, shaped and ordered here: an image rendered from it
 * looks the same on every machine, whatever fonts it has.
 */
export function cardSvg(face: CardFace, options: { outlines?: boolean } = {}): string {
  const qr = createQr(face.qrText);
  const size = qr.modules.size;
  const quiet = 4;
  const side = 240;
  const unit = side / (size + 2 * quiet);
  const qrX = 856 - 36 - side;
  const qrY = 125 + (540 - 125 - side) / 2;
  let modules = '';
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      if (qr.modules.get(row, col)) {
        modules += `M${col + quiet} ${row + quiet}h1v1h-1z`;
      }
    }
  }

  const text = (x: number, y: number, content: string, style: TextStyle) => {
    // Measured with the card's typeface; a viewer's own font is about as wide.
    const typeface = cardFaces()[style.bold ? 'bold' : 'regular'];
    const line = layoutLine(normaliseSpaces(content), typeface, style.arabic ? 'rtl' : 'ltr');
    const fontSize = Math.min(style.size, (style.maxWidth ?? Infinity) / Math.max(line.width, 1e-6));
    if (options.outlines) {
      const outline = lineAsSvgPath(line, typeface, {
        ...(style.arabic ? { x: 0, boxWidth: x, align: 'right' } : { x, boxWidth: 0, align: 'left' }),
        baseline: y,
        size: fontSize,
      });

      return `<path d="${outline}" fill="${style.fill}"><title>${escapeXml(content)}</title></path>`;
    }
    const weight = style.bold ? ' font-weight="700"' : '';
    const arabic = style.arabic ? ' text-anchor="end" xml:lang="ar"' : '';

    return (
      `<text x="${x}" y="${y}" font-size="${Number(fontSize.toFixed(1))}"${weight} fill="${style.fill}"${arabic}>` +
      `${escapeXml(content)}</text>`
    );
  };
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="85.6mm" height="54mm" viewBox="0 0 856 540"`,
    ` font-family="'Noto Sans','Noto Sans Arabic','IBM Plex Sans Arabic',Tahoma,sans-serif">`,
    '<rect width="856" height="540" rx="32" fill="#ffffff" stroke="#cfd9d5" stroke-width="2"/>',
    '<path d="M0 32a32 32 0 0 1 32-32h792a32 32 0 0 1 32 32v73H0z" fill="#0d5c4a"/>',
    '<rect y="105" width="856" height="9" fill="#c9a54c"/>',
    text(36, 68, face.labels.club, { size: 38, bold: true, fill: '#ffffff' }),
    text(820, 68, face.labels.clubAr, { size: 38, bold: true, fill: '#ffffff', arabic: true }),
    text(36, 190, face.holderNameLatin, { size: 40, bold: true, fill: '#17212b', maxWidth: 784 }),
  ];
  if (face.holderNameArabic) {
    // The Arabic name ends the text column on the right, as Arabic readers expect.
    lines.push(
      text(556, 245, face.holderNameArabic, { size: 40, bold: true, fill: '#17212b', arabic: true, maxWidth: 520 }),
    );
  }
  let y = 300;
  if (face.relation) {
    lines.push(text(36, y, face.relation.fr, { size: 26, fill: '#5b6770', maxWidth: 520 }));
    y += 36;
  }
  lines.push(
    text(36, y + 20, face.labels.number, { size: 24, fill: '#5b6770' }),
    text(36, y + 60, face.membershipNumber, { size: 38, bold: true, fill: '#17212b' }),
    text(36, y + 110, face.labels.validUntil, { size: 24, fill: '#5b6770' }),
    text(36, y + 150, face.validUntil.fr, { size: 34, bold: true, fill: '#17212b' }),
    `<g transform="translate(${qrX} ${qrY}) scale(${unit.toFixed(4)})">`,
    `<rect width="${size + 2 * quiet}" height="${size + 2 * quiet}" fill="#ffffff"/>`,
    `<path d="${modules}" fill="#000000" shape-rendering="crispEdges"/>`,
    '</g>',
    '</svg>',
  );

  return lines.join('\n');
}
