/**
 * Resident ID numbers (GB 11643-1999): 17 digits — the division code, the birth date, a
 * sequence — and a check character (ISO 7064 MOD 11-2). Only ever held in clear on the way to
 * their hash (src/profile/person.ts).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The 18th character from the first 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`'${first17}' is not 17 digits`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * WEIGHTS[i]!;
  return CHECK.charAt(sum % 11);
}

/**
 * A resident ID number as a person writes it (full-width digits, a lower-case x, spaces around),
 * in its one form, or why it is none.
 */
export function checkResidentId(text: string): { valid: true; idNumber: string } | { valid: false; reason: string } {
  const idNumber = text.normalize('NFKC').trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(idNumber)) return { valid: false, reason: 'expected 17 digits and a check character (a digit or X)' };
  const [year, month, day] = [Number(idNumber.slice(6, 10)), Number(idNumber.slice(10, 12)), Number(idNumber.slice(12, 14))];
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) return { valid: false, reason: `${idNumber.slice(6, 14)} is not a birth date` };
  const expected = residentIdCheckCharacter(idNumber.slice(0, 17));
  if (expected !== idNumber.charAt(17)) return { valid: false, reason: `check character is '${idNumber.charAt(17)}', expected '${expected}'` };
  return { valid: true, idNumber };
}
