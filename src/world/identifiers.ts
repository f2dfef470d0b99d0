/**
 * Check characters of the identifiers the demo invents: the 9-character organization code
 * inside a USCC (GB 11714), the USCC itself (GB 32100, via src/profile/uscc.ts) and the
 * 18-digit resident ID number (GB 11643, ISO 7064 MOD 11-2).
 */
import { USCC_CHARSET, checkUscc, usccCheckCharacter } from '../profile/uscc.js';

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ORG_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** GB 11714 check character for the first 8 characters of an organization code. */
export function organizationCodeCheckCharacter(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new RangeError(`'${first8}' is not 8 characters of 0-9A-Z`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_CHARSET.indexOf(first8.charAt(i)) * ORG_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

export function isValidOrganizationCode(code: string): boolean {
  return code.length === 9 && organizationCodeCheckCharacter(code.slice(0, 8)) === code.charAt(8);
}

/**
 * A USCC from its parts: registration authority ('9': market regulation), entity type
 * ('1' enterprise, '2' individual business), the 6-digit administrative division code and the
 * first 8 characters of the organization code (in the USCC character set); both check
 * characters are computed.
 */
export function composeUscc(authority: string, type: string, regionCode: string, organizationBody: string): string {
  const organizationCode = organizationBody + organizationCodeCheckCharacter(organizationBody);
  const first17 = `${authority}${type}${regionCode}${organizationCode}`;
  for (const character of first17) {
    if (!USCC_CHARSET.includes(character)) throw new RangeError(`'${character}' is not allowed in a USCC`);
  }
  return first17 + usccCheckCharacter(first17);
}

/** A USCC whose check character and embedded organization-code check both hold. */
export function isValidDemoUscc(uscc: string): boolean {
  return checkUscc(uscc).valid && uscc === uscc.toUpperCase() && isValidOrganizationCode(uscc.slice(8, 17));
}

/**
 * A bijection of [0, 10^digits) used to turn a sequential number into one that looks
 * arbitrary while staying unique (multiplication by a unit modulo 10^digits, then an offset).
 */
export function scramble(value: number, digits: number, salt: number): number {
  const modulus = 10 ** digits;
  // 7654321 is coprime to 10^n (odd, not a multiple of 5), so multiplying by it permutes the residues.
  const product = Number((BigInt(value % modulus) * 7_654_321n) % BigInt(modulus));
  return (product + (salt % modulus) + modulus) % modulus;
}
