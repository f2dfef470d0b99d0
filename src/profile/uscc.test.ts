import fc from 'fast-check';
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

  describe('properties', () => {
    const options = { seed: 20261129, numRuns: 2000 };
    const first17 = fc
      .tuple(fc.string({ unit: fc.constantFrom(...USCC_CHARSET), minLength: 2, maxLength: 2 }), fc.stringMatching(/^\d{6}$/), fc.string({ unit: fc.constantFrom(...USCC_CHARSET), minLength: 9, maxLength: 9 }))
      .map((parts) => parts.join(''));
    const valid = first17.map((head) => head + usccCheckCharacter(head));

    it('accepts every code built with its check character, in either case', () => {
      fc.assert(
        fc.property(valid, fc.boolean(), (code, lower) => {
          expect(checkUscc(lower ? code.toLowerCase() : code)).toEqual({ valid: true, uscc: code });
        }),
        options,
      );
    });

    it('refuses any single changed character, whatever it becomes', () => {
      const changed = fc.tuple(valid, fc.nat({ max: 17 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })).filter(([code, at, character]) => code[at] !== character.toUpperCase());
      fc.assert(
        fc.property(changed, ([code, at, character]) => {
          expect(checkUscc(code.slice(0, at) + character + code.slice(at + 1)).valid).toBe(false);
        }),
        options,
      );
    });

    it('answers any string with a verdict, and accepts only 18 ASCII letters and digits', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 17, maxLength: 18 })), (input) => {
          const verdict = checkUscc(input);
          if (verdict.valid) expect(input).toMatch(/^[0-9A-Za-z]{18}$/);
          else expect(verdict.reason).not.toBe('');
        }),
        options,
      );
    });

    it('does not read a ligature as two characters', () => {
      const code = published[0]!;
      const withFf = '91350100M000100FF';
      expect(checkUscc(withFf.replace('FF', 'ﬀ') + usccCheckCharacter(withFf))).toMatchObject({ valid: false });
      expect(checkUscc(code)).toMatchObject({ valid: true });
    });
  });
});
