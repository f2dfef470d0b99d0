import fc from 'fast-check';
import { checkResidentId, residentIdCheckCharacter } from './resident-id.js';

describe('resident ID numbers (GB 11643)', () => {
  it('computes the MOD 11-2 check character and checks the birth date', () => {
    // The example of the standard.
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(checkResidentId('11010519491231002X')).toEqual({ valid: true, idNumber: '11010519491231002X' });
    expect(checkResidentId('110105194912310021')).toEqual({ valid: false, reason: "check character is '1', expected 'X'" });
    expect(checkResidentId('11010519490231002X')).toEqual({ valid: false, reason: '19490231 is not a birth date' });
    expect(checkResidentId('11010519491231002')).toMatchObject({ valid: false });
  });

  it('takes a number as people write it, in one form', () => {
    fc.assert(
      fc.property(fc.constantFrom(' ', '\u3000', ''), fc.boolean(), fc.boolean(), (space, wide, lower) => {
        let text = '11010519491231002X';
        if (lower) text = text.toLowerCase();
        if (wide) text = [...text].map((char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0)).join('');
        return checkResidentId(`${space}${text}${space}`).valid;
      }),
      { seed: 20261207 },
    );
  });
});
