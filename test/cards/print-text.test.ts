import { cardFaces } from '../../src/cards/print-fonts';
import { fitText, layoutLine, type TextLine } from '../../src/cards/print-text';

// A piece's text is what pdfkit is handed. Pieces are in visual order, left to right; an Arabic
// piece is handed over in reading order, and fontkit reverses it after shaping.
function drawn(line: TextLine): [string, string][] {
  return line.pieces.map((piece) => [piece.fontKey, piece.text]);
}

describe('layoutLine', () => {
  const { regular } = cardFaces();

  it('keeps an Arabic name in one piece, so that it is shaped as a whole', () => {
    const line = layoutLine('فاطمة الزهراء الإدريسي', regular, 'rtl');

    expect(drawn(line)).toEqual([['plex-arabic-regular', 'فاطمة الزهراء الإدريسي']]);
  });

  it('puts the brackets of Arabic text in visual order, mirrored, from the Latin font', () => {
    const line = layoutLine('ابن(ة) أحمد بناني', regular, 'rtl');

    expect(drawn(line)).toEqual([
      ['plex-arabic-regular', 'أحمد بناني'],
      ['plex-latin-regular', ' ('],
      ['plex-arabic-regular', 'ة'],
      ['plex-latin-regular', ')'],
      ['plex-arabic-regular', 'ابن'],
    ]);
  });

  it('keeps Arabic-Indic digits left to right inside Arabic text', () => {
    const line = layoutLine('٣١ دجنبر ٢٠٢٦', regular, 'rtl');

    expect(drawn(line).map(([, text]) => text)).toEqual([
      '٢',
      '٠',
      '٢',
      '٦',
      ' دجنبر ',
      '٣',
      '١',
    ]);
  });

  it('draws a Latin date at the left end of an Arabic line', () => {
    const line = layoutLine('صالحة إلى غاية 31/12/2026', regular, 'rtl');

    expect(drawn(line)).toEqual([
      ['plex-latin-regular', '31/12/2026'],
      ['plex-arabic-regular', 'صالحة إلى غاية '],
    ]);
  });

  it('measures a line as the sum of its pieces', () => {
    const line = layoutLine('Enfant de أحمد', regular, 'ltr');

    const sum = line.pieces.reduce((width, piece) => width + piece.width, 0);
    expect(line.width).toBeCloseTo(sum, 6);
    expect(line.width).toBeGreaterThan(0);
  });
});

describe('fitText', () => {
  const { semibold } = cardFaces();
  const sizes = { maxSize: 10, minSize: 8, wrapSize: 8.5 };

  it('keeps a short name on one line at the largest size', () => {
    const fitted = fitText('Fatima Zahra El Idrissi', semibold, 'ltr', 150, sizes);

    expect(fitted.lines).toHaveLength(1);
    expect(fitted.size).toBe(10);
  });

  it('wraps a long name on two lines, with as many words as fit on the first', () => {
    const name = 'Mohamed Amine Ben Abdeslam El Ouazzani Chahdi Al Alaoui Talbi';

    const fitted = fitText(name, semibold, 'ltr', 150, sizes);

    expect(fitted.lines).toHaveLength(2);
    expect(fitted.size).toBe(8.5);
    for (const line of fitted.lines) {
      expect(line.width * fitted.size).toBeLessThanOrEqual(150);
    }
    const first = fitted.lines[0].pieces.map((piece) => piece.text).join('');
    const second = fitted.lines[1].pieces.map((piece) => piece.text).join('');
    expect(`${first} ${second}`).toBe(name);
    // One more word would not have fitted on the first line.
    const firstWords = first.split(' ').length;
    const longer = name.split(' ').slice(0, firstWords + 1).join(' ');
    expect(layoutLine(longer, semibold, 'ltr').width * 8.5).toBeGreaterThan(150);
  });

  it('shrinks a text without spaces below the minimum rather than cut it', () => {
    const fitted = fitText('Abdeslamelouazzanichahdialalaouitalbi', semibold, 'ltr', 100, sizes);

    expect(fitted.lines).toHaveLength(1);
    expect(fitted.size).toBeLessThan(8);
    expect(fitted.lines[0].width * fitted.size).toBeCloseTo(100, 6);
  });
});
