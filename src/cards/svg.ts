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

/**
 * The card face as SVG at ID-1 size (85.6 × 54 mm; one user unit is 0.1 mm). Arabic text is left
 * to the viewer's text engine, which shapes and orders it; it is anchored by its right end, where
 * an Arabic line ends. The QR is vector.
 */
export function cardSvg(face: CardFace): string {
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

  const text = (x: number, y: number, content: string, attributes = '') =>
    `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="85.6mm" height="54mm" viewBox="0 0 856 540"`,
    ` font-family="'Noto Sans','Noto Sans Arabic','IBM Plex Sans Arabic',Tahoma,sans-serif">`,
    '<rect width="856" height="540" rx="32" fill="#ffffff" stroke="#cfd9d5" stroke-width="2"/>',
    '<path d="M0 32a32 32 0 0 1 32-32h792a32 32 0 0 1 32 32v73H0z" fill="#0d5c4a"/>',
    '<rect y="105" width="856" height="9" fill="#c9a54c"/>',
    text(36, 68, face.labels.club, 'font-size="38" font-weight="700" fill="#ffffff"'),
    text(820, 68, face.labels.clubAr, 'font-size="38" font-weight="700" fill="#ffffff" ' +
      'text-anchor="end" xml:lang="ar"'),
    text(36, 190, face.holderNameLatin, 'font-size="40" font-weight="700" fill="#17212b"'),
  ];
  if (face.holderNameArabic) {
    // The Arabic name ends the text column on the right, as Arabic readers expect.
    lines.push(text(556, 245, face.holderNameArabic, 'font-size="40" font-weight="700" ' +
      'fill="#17212b" text-anchor="end" xml:lang="ar"'));
  }
  let y = 300;
  if (face.relation) {
    lines.push(text(36, y, face.relation.fr, 'font-size="26" fill="#5b6770"'));
    y += 36;
  }
  lines.push(
    text(36, y + 20, face.labels.number, 'font-size="24" fill="#5b6770"'),
    text(36, y + 60, face.membershipNumber, 'font-size="38" font-weight="700" fill="#17212b"'),
    text(36, y + 110, face.labels.validUntil, 'font-size="24" fill="#5b6770"'),
    text(36, y + 150, face.validUntil.fr, 'font-size="34" font-weight="700" fill="#17212b"'),
    `<g transform="translate(${qrX} ${qrY}) scale(${unit.toFixed(4)})">`,
    `<rect width="${size + 2 * quiet}" height="${size + 2 * quiet}" fill="#ffffff"/>`,
    `<path d="${modules}" fill="#000000" shape-rendering="crispEdges"/>`,
    '</g>',
    '</svg>',
  );

  return lines.join('\n');
}
