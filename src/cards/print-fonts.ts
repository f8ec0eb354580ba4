import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { create as openFont, type Font } from 'fontkit';

import { printView } from './print-font-view';

/** The weights the printed card uses. */
export type Weight = 'regular' | 'semibold' | 'bold';

/** One font file of a face, and the name it is registered under in a PDF document. */
export interface FaceFont {
  key: string;
  font: Font;
}

/**
 * A typeface as a fallback chain of font files: a character is drawn with the first file that has
 * a glyph for it (see print-text.ts for the exceptions made for spaces and punctuation).
 */
export interface Face {
  fonts: readonly FaceFont[];
}

const WEIGHT_NUMBER: Record<Weight, number> = { regular: 400, semibold: 600, bold: 700 };

// IBM Plex Sans Arabic rather than Noto Sans Arabic: Noto draws dotted letters as a dotless base
// plus separate dot glyphs, so one base glyph stands for several letters (ب, ت, ن share one) and
// the PDF's glyph-to-text map can only name one of them; copied or extracted text comes out with
// wrong letters. Plex has one glyph per letter form, and a Latin design drawn to match.
// Fontsource splits the family by script; Latin comes first so that digits and ASCII punctuation
// inside Arabic text use the Latin file, which is the only one that has them.
const PACKAGE = '@fontsource/ibm-plex-sans-arabic';
const SUBSETS = ['latin', 'arabic', 'latin-ext'] as const;

let faces: Record<Weight, Face> | undefined;

/**
 * The card's typefaces, read and parsed once per process. Parsed fonts are shared by every PDF
 * document: pdfkit only subsets them, it does not change them.
 */
export function cardFaces(): Record<Weight, Face> {
  faces ??= {
    regular: loadFace('regular'),
    semibold: loadFace('semibold'),
    bold: loadFace('bold'),
  };

  return faces;
}

function loadFace(weight: Weight): Face {
  // The package's "exports" only lists CSS files, so the font folder is found from its licence.
  const folder = path.join(path.dirname(require.resolve(`${PACKAGE}/LICENSE`)), 'files');
  const fonts = SUBSETS.map((subset) => {
    const name = `ibm-plex-sans-arabic-${subset}-${WEIGHT_NUMBER[weight]}-normal.woff`;
    const file = path.join(folder, name);
    const font = openFont(woffToSfnt(fs.readFileSync(file)));
    if (!('layout' in font)) {
      throw new Error(`${file} is a font collection, expected a single font`);
    }

    return { key: `plex-${subset}-${weight}`, font: printView(font) };
  });

  return { fonts };
}

/**
 * Unpacks a WOFF 1.0 file into the plain OpenType (sfnt) font it wraps (W3C WOFF 1.0, sections 3
 * to 5). fontkit reads WOFF directly, but inflates a table again on every read, and it reads the
 * glyph table once per glyph when pdfkit subsets the font: that was most of the time of a card.
 * Checksums are copied, not verified: the files come from a package we install, not from users.
 */
function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') {
    throw new Error('not a WOFF 1.0 font');
  }

  const flavor = woff.readUInt32BE(4);
  const tableCount = woff.readUInt16BE(12);
  const tables = Array.from({ length: tableCount }, (_, index) => {
    const entry = 44 + 20 * index;
    const offset = woff.readUInt32BE(entry + 4);
    const compressedLength = woff.readUInt32BE(entry + 8);
    const length = woff.readUInt32BE(entry + 12);
    const stored = woff.subarray(offset, offset + compressedLength);

    return {
      tag: woff.readUInt32BE(entry),
      checksum: woff.readUInt32BE(entry + 16),
      data: compressedLength < length ? zlib.inflateSync(stored) : stored,
    };
  });

  // The sfnt header's binary-search fields (OpenType spec, "Table directory").
  const searchPower = 2 ** Math.floor(Math.log2(tableCount));
  const header = Buffer.alloc(12 + 16 * tableCount);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(tableCount, 4);
  header.writeUInt16BE(searchPower * 16, 6);
  header.writeUInt16BE(Math.log2(searchPower), 8);
  header.writeUInt16BE((tableCount - searchPower) * 16, 10);

  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, index) => {
    const record = 12 + 16 * index;
    header.writeUInt32BE(table.tag, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    // Tables start on 4-byte boundaries.
    const padded = Buffer.alloc(Math.ceil(table.data.length / 4) * 4);
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });

  return Buffer.concat(parts);
}

/** Registers every font of the card's faces in a document, under the keys the faces use. */
export function registerCardFonts(doc: PDFKit.PDFDocument): void {
  for (const face of Object.values(cardFaces())) {
    for (const { key, font } of face.fonts) {
      // pdfkit accepts an already parsed fontkit font (it checks for a `layout` method), which
      // spares re-parsing the WOFF files for every document; its type definitions omit that case.
      doc.registerFont(key, font as unknown as Buffer);
    }
  }
}
