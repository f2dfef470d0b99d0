import fc from 'fast-check';
import { decimalToFen, fenToDecimal, isDecimal, money } from './money.js';

const options = { seed: 20261129, numRuns: 2000 };
// Far beyond PostgreSQL's bigint, so nothing passes through a float on the way.
const fen = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });

describe('money as exact decimals', () => {
  it('writes any amount in fen as a decimal with two places, and reads it back exactly', () => {
    fc.assert(
      fc.property(fen, (amount) => {
        const decimal = fenToDecimal(amount);
        expect(decimal).toMatch(/^-?\d+\.\d{2}$/);
        expect(isDecimal(decimal)).toBe(true);
        expect(decimalToFen(decimal)).toBe(amount);
      }),
      options,
    );
  });

  it('adds and subtracts decimals exactly, through fen', () => {
    fc.assert(
      fc.property(fen, fen, (a, b) => {
        const sum = decimalToFen(fenToDecimal(a)) + decimalToFen(fenToDecimal(b));
        expect(fenToDecimal(sum)).toBe(fenToDecimal(a + b));
        expect(decimalToFen(fenToDecimal(sum - b))).toBe(a);
      }),
      options,
    );
  });

  it('reads trailing zeros and missing places as the same amount, and refuses a third significant place', () => {
    fc.assert(
      fc.property(fen, fc.nat({ max: 6 }), fc.integer({ min: 1, max: 9 }), (amount, zeros, digit) => {
        const decimal = fenToDecimal(amount);
        expect(decimalToFen(decimal + '0'.repeat(zeros))).toBe(amount);
        expect(() => decimalToFen(`${decimal}${'0'.repeat(zeros)}${digit}`)).toThrow(RangeError);
      }),
      options,
    );
    expect(decimalToFen('12')).toBe(1200n);
    expect(decimalToFen('12.5')).toBe(1250n);
    expect(decimalToFen('-0.01')).toBe(-1n);
  });

  it('refuses anything that is not a plain decimal, naming it, and accepts what isDecimal accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (input) => {
        if (isDecimal(input)) {
          expect(input).toMatch(/^-?[0-9]+(\.[0-9]+)?$/);
          if (!/\.\d{3,}/.test(input) || /\.\d{2}0+$/.test(input)) expect(typeof decimalToFen(input)).toBe('bigint');
        } else {
          expect(() => decimalToFen(input)).toThrow(`'${input}' is not a decimal number`);
        }
      }),
      options,
    );
    for (const input of ['1e5', '0x10', ' 1.00', '1.00 ', '+1', '1,000.00', '١٢٣', 'NaN', 'Infinity', '.5', '5.']) {
      expect(isDecimal(input)).toBe(false);
    }
  });

  it('keeps the currency beside the amount, and nothing for no amount', () => {
    expect(money('123456789012345678901')).toEqual({ amount: '1234567890123456789.01', currency: 'CNY' });
    expect(money(null)).toBeNull();
  });
});
