import { foldKey } from './text';

/** A Latin full name split into family name and given name. */
export interface SplitName {
  lastName: string;
  firstName: string;
}

// Particles that belong to the Moroccan family name that follows them: El Alaoui, Ben Ali,
// Aït Baha, Ou Hammou, Ould Ahmed, Ibn Zaidoun.
const FAMILY_PARTICLES = new Set(
  ['el', 'al', 'ben', 'bel', 'ibn', 'ait', 'ou', 'ould', 'bou', 'abou'].map(foldKey),
);

/**
 * Splits a Latin full name into family and given names, or returns `null` when it holds a
 * single word. In order of trust: a comma ("EL ALAOUI, Mohamed"), then case (the family name
 * in capitals, at either end), then the column's convention: family name first in French
 * administrative lists, given name first under English headers. Particles such as "El" or "Ben"
 * stay with the family name.
 */
export function splitFullName(fullName: string, givenNameFirst: boolean): SplitName | null {
  const comma = fullName.indexOf(',');
  if (comma > 0) {
    const lastName = fullName.slice(0, comma).trim();
    const firstName = fullName.slice(comma + 1).trim();

    return lastName && firstName ? { lastName, firstName } : null;
  }

  const words = fullName.split(' ').filter((word) => word !== '');
  if (words.length < 2) return null;

  const capitalised = splitByCapitals(words);
  if (capitalised) return capitalised;

  const familyWords = givenNameFirst ? trailingFamilyWords(words) : leadingFamilyWords(words);
  const family = givenNameFirst ? words.slice(-familyWords) : words.slice(0, familyWords);
  const given = givenNameFirst ? words.slice(0, -familyWords) : words.slice(familyWords);

  return { lastName: family.join(' '), firstName: given.join(' ') };
}

function isCapitalised(word: string): boolean {
  const letters = word.replace(/[^\p{L}]/gu, '');

  const hasCase = letters !== letters.toLowerCase();

  return letters.length >= 2 && hasCase && letters === letters.toUpperCase();
}

function splitByCapitals(words: readonly string[]): SplitName | null {
  const flags = words.map(isCapitalised);
  const count = flags.filter(Boolean).length;
  if (count === 0 || count === words.length) return null;

  // Only a run of capitals at one end is read as the family name; "Mohamed ALI Amine" is not.
  if (flags.slice(0, count).every(Boolean)) {
    return { lastName: words.slice(0, count).join(' '), firstName: words.slice(count).join(' ') };
  }
  if (flags.slice(-count).every(Boolean)) {
    return { lastName: words.slice(-count).join(' '), firstName: words.slice(0, -count).join(' ') };
  }

  return null;
}

function isParticle(word: string | undefined): boolean {
  return word !== undefined && FAMILY_PARTICLES.has(foldKey(word));
}

function leadingFamilyWords(words: readonly string[]): number {
  let count = 1;
  while (count < words.length - 1 && isParticle(words[count - 1])) count += 1;

  return count;
}

function trailingFamilyWords(words: readonly string[]): number {
  let count = 1;
  while (count < words.length - 1 && isParticle(words[words.length - count - 1])) count += 1;

  return count;
}
