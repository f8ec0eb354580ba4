import fs from 'node:fs';

import { PNG } from 'pngjs';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * Writes a short Y4M video (the raw format Chromium's fake camera plays in a loop) that shows
 * `png` centred on a white background: a card held in front of a webcam, without the blur.
 */
export function writeFakeCameraVideo(png: Buffer, file: string, frames = 5): void {
  const image = PNG.sync.read(png);
  const scale = Math.max(1, Math.floor(Math.min(WIDTH / image.width, HEIGHT / image.height) * 0.9));
  const left = Math.floor((WIDTH - image.width * scale) / 2);
  const top = Math.floor((HEIGHT - image.height * scale) / 2);

  // I420: a full-resolution luma plane, then quarter-size chroma planes (grey: 128).
  const luma = Buffer.alloc(WIDTH * HEIGHT, 255);
  for (let y = 0; y < image.height * scale; y += 1) {
    for (let x = 0; x < image.width * scale; x += 1) {
      const source = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
      const [r, g, b] = [image.data[source], image.data[source + 1], image.data[source + 2]];
      luma[(top + y) * WIDTH + left + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma]);

  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  fs.writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
