import QRCode, { QRCodeMaskPattern, QRCodeSegment } from 'qrcode';

/**
 * Error correction M: readable with some wear or glare, while a card URL still fits in version 12,
 * small enough for a cheap phone camera to read from a screen or from print.
 */
const ERROR_CORRECTION = 'M' as const;

/**
 * The data mask of every QR we make. ISO/IEC 18004 has an encoder score the eight masks for
 * features that confuse scanners (long runs, blocks, finder-like patterns, an uneven share of
 * dark modules) and keep the lowest score. Our tokens' digits are as good as random, so the eight
 * scores of a code differ by a few per cent, while scoring them took half the time of a bulk
 * print. Over 2,000 card tokens, mask 2 (every third column inverted) had the lowest mean and the
 * lowest worst score, a mean 6% above the best of the eight. Scanners read any mask.
 */
const MASK: QRCodeMaskPattern = 2;

const OPTIONS = { errorCorrectionLevel: ERROR_CORRECTION, maskPattern: MASK };

// What a QR's alphanumeric mode holds, at 5.5 bits a character instead of 8.
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/**
 * The text cut into QR segments, each in its densest mode. A card or voucher URL,
 * `https://host/v/<digits>`, becomes the scheme, host and `/v/` in capitals in alphanumeric
 * mode (scheme and host are case-blind, and so is the `/v/` route) and the digits in numeric
 * mode. Any path of the base URL before `/v/` is kept as it is, in byte mode. Other text is one
 * byte segment.
 */
export function qrSegments(text: string): QRCodeSegment[] {
  const match = /^(https?:\/\/[^/?#]+)((?:\/[^?#]*)?\/v\/)([0-9]+)$/i.exec(text);
  if (!match) {
    return [{ data: Buffer.from(text, 'utf8'), mode: 'byte' }];
  }
  const [, origin, path, digits] = match;
  const segments: QRCodeSegment[] = [];
  const upperOrigin = origin.toUpperCase();
  if (path.toLowerCase() === '/v/' && ALPHANUMERIC.test(upperOrigin + '/V/')) {
    segments.push({ data: `${upperOrigin}/V/`, mode: 'alphanumeric' });
  } else if (ALPHANUMERIC.test(upperOrigin)) {
    segments.push({ data: upperOrigin, mode: 'alphanumeric' });
    segments.push({ data: Buffer.from(path, 'utf8'), mode: 'byte' });
  } else {
    segments.push({ data: Buffer.from(origin + path, 'utf8'), mode: 'byte' });
  }
  segments.push({ data: digits, mode: 'numeric' });

  return segments;
}

/** The QR's modules and version for a text, at our error correction level. */
export function createQr(text: string): QRCode.QRCode {
  return QRCode.create(qrSegments(text), OPTIONS);
}

/** The QR version (size) the text needs at our error correction level. */
export function qrVersion(text: string): number {
  return createQr(text).version;
}

/** The QR as a PNG image, `scale` pixels per module. */
export function qrPng(text: string, scale = 6): Promise<Buffer> {
  return QRCode.toBuffer(qrSegments(text), { ...OPTIONS, scale, margin: 4 });
}

/** The QR as an SVG document (vector: sharp at any print size). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(qrSegments(text), { ...OPTIONS, type: 'svg', margin: 4 });
}

/** The QR as a `data:` URL, for inline images in server-rendered pages. */
export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(qrSegments(text), { ...OPTIONS, scale: 5, margin: 4 });
}

/** The text a scanner reads back from the QR of `text`: the segments joined. */
export function scannedText(text: string): string {
  return qrSegments(text)
    .map(({ data }) => (typeof data === 'object' ? Buffer.from(data).toString('utf8') : String(data)))
    .join('');
}
