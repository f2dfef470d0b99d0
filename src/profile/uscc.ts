/**
 * The Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters from a
 * 31-character set (digits and capitals without I, O, S, V, Z); positions 3–8 are the
 * administrative division code; the 18th is a check character over the first 17.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccCheck = { valid: true; uscc: string } | { valid: false; reason: string };

/** The check character for the first 17 characters of a USCC (which must be in the set). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += USCC_CHARSET.indexOf(first17.charAt(i)) * WEIGHTS[i]!;
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Validates a USCC and says what is wrong with it. Lower-case letters are accepted and
 * upper-cased, since people type codes as they read them off a licence.
 */
export function checkUscc(input: string): UsccCheck {
  // Only ASCII letters: String#toUpperCase would turn a ligature such as 'ﬀ' into two valid characters.
  const code = input.replace(/[a-z]/g, (letter) => letter.toUpperCase());
  if (code.length !== 18) {
    return { valid: false, reason: `a USCC has 18 characters, this one has ${code.length}` };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(code.charAt(i))) {
      return {
        valid: false,
        reason: `character '${code.charAt(i)}' at position ${i + 1} is not allowed in a USCC (digits and capitals except I, O, S, V, Z)`,
      };
    }
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return { valid: false, reason: 'positions 3–8 of a USCC are the administrative division code and must be digits' };
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code.charAt(17) !== expected) {
    return { valid: false, reason: `check character is '${code.charAt(17)}', expected '${expected}'` };
  }
  return { valid: true, uscc: code };
}
