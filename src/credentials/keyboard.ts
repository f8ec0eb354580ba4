/**
 * A USB or Bluetooth 2D scanner does not send characters: it sends key presses, as if it were a
 * keyboard with its own layout (usually US QWERTY). When the computer is set to French AZERTY,
 * each key press lands on the AZERTY character of the same key, and a card URL such as
 * `http://localhost:3000/v/eyJ…` arrives as `httpM!!locqlhostM"ààà!v!eyJ…`. The mapping is fixed
 * and reversible, so the counter can repair the text instead of refusing the card.
 */

// The same physical keys on both layouts: what a US QWERTY layout types on them, and what French
// AZERTY types on them; unshifted rows first, then shifted. The AZERTY dead keys (`^` and `¨` on
// the `[` key) and the shifted `²` key print nothing alone, so they are left out.
const KEY_ROWS: [qwerty: string, azerty: string][] = [
  ['`1234567890-=', '²&é"\'(-è_çà)='],
  ['qwertyuiop]', 'azertyuiop$'],
  ["asdfghjkl;'\\", 'qsdfghjklmù*'],
  ['zxcvbnm,./', 'wxcvbn,;:!'],
  ['!@#$%^&*()_+', '1234567890°+'],
  ['QWERTYUIOP}', 'AZERTYUIOP£'],
  ['ASDFGHJKL:"|', 'QSDFGHJKLM%µ'],
  ['ZXCVBNM<>?', 'WXCVBN?./§'],
];

/** What a QWERTY scanner meant, keyed by what an AZERTY computer showed. */
const AZERTY_TO_QWERTY = new Map<string, string>(
  KEY_ROWS.flatMap(([qwerty, azerty]) =>
    [...azerty].map((shown, index): [string, string] => [shown, qwerty[index]]),
  ),
);

const QWERTY_TO_AZERTY = new Map<string, string>(
  [...AZERTY_TO_QWERTY].map(([shown, meant]): [string, string] => [meant, shown]),
);

/** What a QWERTY-configured scanner shows on an AZERTY computer when it reads `meant`. */
export function typeQwertyOnAzerty(meant: string): string {
  return [...meant].map((char) => QWERTY_TO_AZERTY.get(char) ?? char).join('');
}

/**
 * The text a QWERTY-configured scanner meant, given what it typed on an AZERTY computer.
 * Characters on keys that both layouts share (most letters) pass through unchanged.
 */
export function repairQwertyOnAzerty(typed: string): string {
  return [...typed].map((char) => AZERTY_TO_QWERTY.get(char) ?? char).join('');
}

// Characters that a scanner typing a card URL, a token or a voucher code can only produce through
// a layout mismatch: accented digits' keys, and `M!!` where `://` was meant.
// `_`, `-` and `'` are left out of the signs: they also occur in real tokens and in typos.
const MANGLED_SIGNS = /[&é"(èçà°ù§µ£²]|https?M!!/i;

/** Whether scanned text bears the marks of a QWERTY scanner on an AZERTY computer. */
export function looksTypedOnWrongLayout(typed: string): boolean {
  return MANGLED_SIGNS.test(typed);
}
