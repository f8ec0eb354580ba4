import { Resvg } from '@resvg/resvg-js';

import { cardFontPaths } from './print-fonts';
import { CardFace, cardSvg } from './svg';

/** 1012 pixels across the card's 85.6 mm: 300 dots per inch, sharp on a phone and in print. */
const WIDTH_PX = 1012;

/**
 * The card face as a PNG image: the SVG face drawn with the card's own typeface (IBM Plex Sans
 * Arabic, Latin and Arabic), so that the Arabic name is shaped and ordered the same on every
 * machine, whatever fonts it has installed.
 */
export function renderCardPng(face: CardFace): Buffer {
  const renderer = new Resvg(cardSvg(face), {
    fitTo: { mode: 'width', value: WIDTH_PX },
    font: {
      loadSystemFonts: false,
      fontFiles: cardFontPaths(),
      defaultFontFamily: 'IBM Plex Sans Arabic',
    },
  });

  return renderer.render().asPng();
}
