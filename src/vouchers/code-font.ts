/**
 * A 5×7 bitmap font for the characters of voucher codes (src/vouchers/repository.ts) and the
 * dash between their two groups: enough to print a code under its QR in a PNG without a font
 * file or a native text renderer. Each glyph is seven rows of five pixels, '#' for ink.
 */
const GLYPHS: Record<string, string[]> = {
  '3': ['#####', '    #', '   # ', '  ## ', '    #', '#   #', ' ### '],
  '4': ['   # ', '  ## ', ' # # ', '#  # ', '#####', '   # ', '   # '],
  '6': ['  ## ', ' #   ', '#    ', '#### ', '#   #', '#   #', ' ### '],
  '7': ['#####', '    #', '   # ', '  #  ', ' #   ', ' #   ', ' #   '],
  '9': [' ### ', '#   #', '#   #', ' ####', '    #', '   # ', ' ##  '],
  A: [' ### ', '#   #', '#   #', '#####', '#   #', '#   #', '#   #'],
  C: [' ### ', '#   #', '#    ', '#    ', '#    ', '#   #', ' ### '],
  D: ['#### ', '#   #', '#   #', '#   #', '#   #', '#   #', '#### '],
  E: ['#####', '#    ', '#    ', '#### ', '#    ', '#    ', '#####'],
  F: ['#####', '#    ', '#    ', '#### ', '#    ', '#    ', '#    '],
  G: [' ### ', '#   #', '#    ', '# ###', '#   #', '#   #', ' ####'],
  H: ['#   #', '#   #', '#   #', '#####', '#   #', '#   #', '#   #'],
  J: ['  ###', '   # ', '   # ', '   # ', '   # ', '#  # ', ' ##  '],
  K: ['#   #', '#  # ', '# #  ', '##   ', '# #  ', '#  # ', '#   #'],
  M: ['#   #', '## ##', '# # #', '# # #', '#   #', '#   #', '#   #'],
  N: ['#   #', '#   #', '##  #', '# # #', '#  ##', '#   #', '#   #'],
  P: ['#### ', '#   #', '#   #', '#### ', '#    ', '#    ', '#    '],
  Q: [' ### ', '#   #', '#   #', '#   #', '# # #', '#  # ', ' ## #'],
  R: ['#### ', '#   #', '#   #', '#### ', '# #  ', '#  # ', '#   #'],
  T: ['#####', '  #  ', '  #  ', '  #  ', '  #  ', '  #  ', '  #  '],
  U: ['#   #', '#   #', '#   #', '#   #', '#   #', '#   #', ' ### '],
  V: ['#   #', '#   #', '#   #', '#   #', '#   #', ' # # ', '  #  '],
  W: ['#   #', '#   #', '#   #', '# # #', '# # #', '# # #', ' # # '],
  X: ['#   #', '#   #', ' # # ', '  #  ', ' # # ', '#   #', '#   #'],
  Y: ['#   #', '#   #', ' # # ', '  #  ', '  #  ', '  #  ', '  #  '],
  '-': ['     ', '     ', '     ', '#####', '     ', '     ', '     '],
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

/** Whether every character of `text` can be drawn. */
export function canDraw(text: string): boolean {
  return [...text].every((char) => char in GLYPHS);
}

/**
 * Draws `text` into an RGBA bitmap in black, each font pixel a `scale`×`scale` square, from the
 * top-left corner (x, y), one blank column between characters.
 */
export function drawText(
  bitmap: { data: Buffer; width: number },
  text: string,
  x: number,
  y: number,
  scale: number,
): void {
  [...text].forEach((char, index) => {
    const rows = GLYPHS[char];
    const left = x + index * (GLYPH_WIDTH + 1) * scale;
    rows.forEach((row, rowIndex) => {
      [...row].forEach((cell, column) => {
        if (cell !== '#') {
          return;
        }
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const offset =
              ((y + rowIndex * scale + dy) * bitmap.width + left + column * scale + dx) * 4;
            bitmap.data[offset] = 0;
            bitmap.data[offset + 1] = 0;
            bitmap.data[offset + 2] = 0;
            bitmap.data[offset + 3] = 255;
          }
        }
      });
    });
  });
}
