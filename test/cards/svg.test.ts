import { cardSvg, CardFace } from '../../src/cards/svg';

const face: CardFace = {
  holderNameLatin: 'Mohammed-Amine Abderrahmane Fatima-Zahra Ben Abdeslam',
  holderNameArabic: 'محمد أمين عبد الرحمن بن عبد السلام الوزاني',
  membershipNumber: '9876543',
  relation: null,
  validUntil: { fr: '31/12/2027', ar: '31/12/2027' },
  qrText: 'https://nadipass.ma/v/1234567890',
  labels: { club: 'Nadi Al Mouadaf', clubAr: 'نادي الموظف', number: "N° d'adhérent", validUntil: "Valable jusqu'au" },
};

/** The font size of the text element that holds `content`. */
function fontSizeOf(svg: string, content: string): number {
  const match = new RegExp(`<text [^>]*font-size="([\\d.]+)"[^>]*>${content}</text>`).exec(svg);

  return Number(match?.[1]);
}

describe('the card face as SVG', () => {
  it('draws a long name smaller rather than past the edge, and a short one at full size', () => {
    const svg = cardSvg(face);
    // 784 units of room from x = 36 at most 40 units high: a 53-character name needs less.
    expect(fontSizeOf(svg, face.holderNameLatin)).toBeLessThan(40);
    expect(fontSizeOf(svg, face.holderNameLatin)).toBeGreaterThan(25);
    expect(fontSizeOf(cardSvg({ ...face, holderNameLatin: 'Ahmed Bennani' }), 'Ahmed Bennani')).toBe(40);
  });

  it('draws its text as outlines when asked, so that no font is needed to render it', () => {
    const svg = cardSvg(face, { outlines: true });
    expect(svg).not.toContain('<text');
    // The words stay in the file, as titles of their outlines.
    expect(svg).toContain(`<title>${face.holderNameArabic}</title>`);
    expect(svg.match(/<path d="M[^"]+"/g)?.length).toBeGreaterThanOrEqual(9);
  });
});
