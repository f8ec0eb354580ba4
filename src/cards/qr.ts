import QRCode from 'qrcode';

/**
 * Error correction M: readable with some wear or glare, while a card URL still fits in version 12,
 * small enough for a cheap phone camera to read from a screen or from print.
 */
const ERROR_CORRECTION = 'M' as const;

/** The QR version (size) the text needs at our error correction level. */
export function qrVersion(text: string): number {
  return QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION }).version;
}

/** The QR as a PNG image, `scale` pixels per module. */
export function qrPng(text: string, scale = 6): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: ERROR_CORRECTION, scale, margin: 4 });
}

/** The QR as an SVG document (vector: sharp at any print size). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: 4 });
}

/** The QR as a `data:` URL, for inline images in server-rendered pages. */
export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: ERROR_CORRECTION, scale: 5, margin: 4 });
}
