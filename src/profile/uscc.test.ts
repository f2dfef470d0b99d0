import { checkUscc, usccCheckCharacter, USCC_CHARSET } from './uscc.js';

// The example code used across published USCC validators (Fujian, check character 3), and
// one built from its first 17 characters with a different division code.
const published = ['91350100M000100Y43', '91320505M000100Y4' + usccCheckCharacter('91320505M000100Y4')];

describe('USCC validation (GB 32100-2015)', () => {
  it('accepts valid codes and normalizes lower case', () => {
    for (const code of published) expect(checkUscc(code)).toEqual({ valid: true, uscc: code });
    expect(checkUscc(published[0]!.toLowerCase())).toEqual({ valid: true, uscc: published[0] });
  });

  it('computes the check character of a known code', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('rejects a wrong length and says so', () => {
    expect(checkUscc('91350100M000100Y4')).toEqual({ valid: false, reason: 'a USCC has 18 characters, this one has 17' });
    expect(checkUscc('')).toMatchObject({ valid: false, reason: expect.stringContaining('has 0') });
    expect(checkUscc('91350100M000100Y433')).toMatchObject({ valid: false, reason: expect.stringContaining('has 19') });
  });

  it('rejects characters outside the set, naming the character and position', () => {
    for (const letter of ['I', 'O', 'S', 'V', 'Z', '-', '中']) {
      const code = `9135010${letter}M000100Y43`;
      expect(checkUscc(code)).toEqual({
        valid: false,
        reason: expect.stringContaining(`'${letter}' at position 8`),
      });
    }
  });

  it('rejects a non-numeric administrative division code', () => {
    const first17 = '913A0100M000100Y4';
    expect(checkUscc(first17 + usccCheckCharacter(first17))).toMatchObject({
      valid: false,
      reason: expect.stringContaining('administrative division'),
    });
  });

  it('rejects every wrong check character', () => {
    const first17 = '91350100M000100Y4';
    for (const character of USCC_CHARSET) {
      if (character === '3') continue;
      expect(checkUscc(first17 + character)).toEqual({ valid: false, reason: `check character is '${character}', expected '3'` });
    }
  });

  it('catches any single substituted character', () => {
    const code = '91350100M000100Y43';
    for (let position = 0; position < 17; position++) {
      const replacement = code[position] === '1' ? '2' : '1';
      const changed = code.slice(0, position) + replacement + code.slice(position + 1);
      expect(checkUscc(changed).valid).toBe(false);
    }
  });
});
