import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads a QR code from a PNG with jsQR, a decoder independent of the library that drew it. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);

  return result ? result.data : null;
}
