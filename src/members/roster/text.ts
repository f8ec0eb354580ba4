// Eastern Arabic (U+0660…) and Persian (U+06F0…) digits: phones typed on Arabic keyboards use
// either, and both must read as the digits 0–9.
const NON_WESTERN_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/g;

// Invisible format characters (LRM/RLM, bidi embeddings, zero-width spaces, stray BOMs) ride
// along when cells are pasted from Arabic documents or phones and break every comparison.
const FORMAT_CHARACTERS = /\p{Cf}/gu;

const ARABIC_LETTER = /\p{Script=Arabic}/u;
const ARABIC_LETTERS = /\p{Script=Arabic}/gu;
const LATIN_LETTERS = /\p{Script=Latin}/gu;

/** Replaces Eastern Arabic and Persian digits by the Western digits 0–9. */
export function toWesternDigits(text: string): string {
  return text.replace(NON_WESTERN_DIGIT, (digit) => {
    const code = digit.charCodeAt(0);

    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** Drops the invisible format characters (bidi controls, LRM/RLM, zero-width spaces, BOMs). */
export function dropInvisible(text: string): string {
  return text.replace(FORMAT_CHARACTERS, '');
}

/** Drops invisible characters, trims and collapses every run of white space to one space. */
export function cleanText(text: string): string {
  return dropInvisible(text).replace(/\s+/gu, ' ').trim();
}

/** Whether a value is written mostly in Arabic script (more Arabic letters than Latin ones). */
export function isArabicScript(text: string): boolean {
  if (!ARABIC_LETTER.test(text)) return false;

  const arabic = text.match(ARABIC_LETTERS)?.length ?? 0;
  const latin = text.match(LATIN_LETTERS)?.length ?? 0;

  return arabic > latin;
}

// Letters that Arabic spreadsheets spell several ways: tā' marbūṭa as hā', alif maqṣūra as yā',
// alif waṣla as alif, and the Persian or Moroccan letters (ک ی گ ڭ) some keyboards produce for
// kāf, yā' and the "g" of Moroccan place names.
const ARABIC_VARIANTS: Readonly<Record<string, string>> = {
  'ة': 'ه',
  'ى': 'ي',
  'ی': 'ي',
  'ک': 'ك',
  'گ': 'ك',
  'ڭ': 'ك',
  'ٱ': 'ا',
};
const ARABIC_VARIANT = new RegExp(`[${Object.keys(ARABIC_VARIANTS).join('')}]`, 'g');

/**
 * Reduces a header or a place name to a comparison key: no accents, no case, no spaces, no
 * punctuation, one spelling for Arabic letters with variants.
 *
 * Decomposing (NFKD) then dropping combining marks removes French accents and, in Arabic, the
 * short vowels and the hamza carried by alif, wāw and yā' (أ إ آ ؤ ئ), so "Laâyoune" and
 * "Laayoune", "إقليم" and "اقليم" share a key. The tatweel (ـ), a letter for Unicode, only
 * stretches a word and goes too.
 */
export function foldKey(text: string): string {
  return toWesternDigits(text)
    .normalize('NFKD')
    .replace(/\p{M}|\u0640/gu, '')
    .toLowerCase()
    .replace(ARABIC_VARIANT, (letter) => ARABIC_VARIANTS[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]/gu, '');
}
