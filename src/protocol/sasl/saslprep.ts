// SASLprep (RFC 4013, a profile of stringprep, RFC 3454) for passwords and user names in SCRAM.
//
// Covered: mapping of non-ASCII spaces to SPACE (table C.1.2), "commonly mapped to nothing"
// (B.1), NFKC, every prohibited table of RFC 4013 section 2.3 (C.1.2 to C.9), unassigned code
// points (A.1, approximated with the running Unicode version's Cn), and the bidi rule (section 6)
// with RandALCat approximated by the Hebrew/Arabic/Syriac/Thaana/NKo blocks, because JavaScript
// regular expressions have no Bidi_Class property.

/** C.1.2: non-ASCII space characters, mapped to U+0020. */
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;

/** B.1: characters commonly mapped to nothing. */
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;

/** Prohibited output, each with a name for the message. */
const PROHIBITED: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u0000-\u001F\u007F]/u, 'an ASCII control character'],
  [
    /[\u0080-\u009F\u06DD\u070F\u180E\u200C\u200D\u2028\u2029\u2060-\u2063\u206A-\u206F\uFEFF\uFFF9-\uFFFC\u{1D173}-\u{1D17A}]/u,
    'a non-ASCII control character',
  ],
  [/[\uE000-\uF8FF\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/u, 'a private-use character'],
  [
    /[\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{10FFFE}\u{10FFFF}]/u,
    'a non-character code point',
  ],
  [/[\uD800-\uDFFF]/u, 'a lone surrogate'],
  [/[\uFFF9-\uFFFD]/u, 'a character inappropriate for plain text'],
  [/[\u2FF0-\u2FFB]/u, 'an ideographic description character'],
  [/[\u0340\u0341\u200E\u200F\u202A-\u202E\u206A-\u206F]/u, 'a display or directionality control character'],
  [/[\u{E0001}\u{E0020}-\u{E007F}]/u, 'a tagging character'],
  [/\p{Cn}/u, 'an unassigned code point'],
];

const RAND_AL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE]/u;
const RAND_AL_START = /^[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE]/u;
const RAND_AL_END = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE]$/u;
/** Letters that are not RandALCat: an approximation of stringprep's table D.2 (LCat). */
const L_CAT = /(?![\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE])\p{L}/u;

export type SaslPrepResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

/** Prepares a stored string (a password or user name). `what` names it in messages. */
export function saslPrep(input: string, what: string): SaslPrepResult {
  const mapped = input.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
  for (const [pattern, description] of PROHIBITED) {
    const found = pattern.exec(mapped);
    if (found) {
      const codePoint = found[0].codePointAt(0) ?? 0;
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      return { ok: false, reason: `${what} contains ${description} (U+${hex}), which SASLprep prohibits` };
    }
  }
  if (RAND_AL.test(mapped)) {
    if (L_CAT.test(mapped)) {
      return {
        ok: false,
        reason: `${what} mixes right-to-left and left-to-right letters, which SASLprep prohibits`,
      };
    }
    if (!RAND_AL_START.test(mapped) || !RAND_AL_END.test(mapped)) {
      return {
        ok: false,
        reason: `${what} contains right-to-left text but does not start and end with a right-to-left character`,
      };
    }
  }
  return { ok: true, value: mapped };
}
