import { Resvg } from '@resvg/resvg-js';

import { CardFace, cardSvg } from './svg';

/** 1012 pixels across the card's 85.6 mm: 300 dots per inch, sharp on a phone and in print. */
const WIDTH_PX = 1012;

/**
 * The card face as a PNG image: the SVG face with its text as the outlines of the card's own
 * typeface, so that the Arabic name is shaped and ordered as on the printed card, on every
 * machine, whatever fonts it has installed.
 */
export function renderCardPng(face: CardFace): Buffer {
  const renderer = new Resvg(cardSvg(face, { outlines: true }), {
    fitTo: { mode: 'width', value: WIDTH_PX },
    font: { loadSystemFonts: false },
  });

  return renderer.render().asPng();
}
