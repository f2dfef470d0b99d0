import { checkUscc } from '../profile/uscc.js';
import {
  composeUscc,
  isValidDemoUscc,
  isValidOrganizationCode,
  organizationCodeCheckCharacter,
  scramble,
} from './identifiers.js';

describe('organization code (GB 11714)', () => {
  it('computes the check character of published codes', () => {
    // 3×0+7×7+9×8+10×0+5×6+8×6+4×2+2×8 = 223; 223 mod 11 = 3; 11 − 3 = 8
    expect(organizationCodeCheckCharacter('07806628')).toBe('8');
    // Letters count 10..35: M = 22, A = 10.
    expect(organizationCodeCheckCharacter('MA1MXX00')).toMatch(/^[0-9X]$/);
    expect(isValidOrganizationCode('078066288')).toBe(true);
    expect(isValidOrganizationCode('078066289')).toBe(false);
  });

  it('maps 10 to X and 11 to 0', () => {
    const found = { X: false, zero: false };
    for (let n = 0; n < 2000 && !(found.X && found.zero); n++) {
      const body = String(n).padStart(8, '0');
      const check = organizationCodeCheckCharacter(body);
      if (check === 'X') found.X = true;
      if (check === '0') found.zero = true;
    }
    expect(found).toEqual({ X: true, zero: true });
  });
});

describe('USCC', () => {
  it('composes codes that the hub validates', () => {
    const uscc = composeUscc('9', '1', '320505', 'MA1MXY01');
    expect(uscc).toHaveLength(18);
    expect(uscc.slice(0, 8)).toBe('91320505');
    expect(checkUscc(uscc)).toEqual({ valid: true, uscc });
    expect(isValidDemoUscc(uscc)).toBe(true);
    expect(() => composeUscc('9', '1', '320505', 'MA1MXI01')).toThrow(RangeError);
  });
});

describe('scramble', () => {
  it('is a bijection of the range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(scramble(i, 4, 77));
    expect(seen.size).toBe(10_000);
    expect([...seen].filter((value) => !(value >= 0 && value < 10_000))).toEqual([]);
  });
});
