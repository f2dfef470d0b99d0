/**
 * Money is integer fen (1/100 yuan) in the store and a decimal string on the wire; never a
 * float. Fen travel as strings or bigint because PostgreSQL's bigint exceeds 2^53.
 */
export type Money = { amount: string; currency: string };

export function fenToDecimal(fen: string | bigint | number): string {
  const value = BigInt(fen);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const yuan = magnitude / 100n;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

export function money(fen: string | bigint | number | null | undefined, currency = 'CNY'): Money | null {
  if (fen === null || fen === undefined) return null;
  return { amount: fenToDecimal(fen), currency };
}

const decimalPattern = /^-?\d+(\.\d+)?$/;

/** Parses an exact decimal string into fen; more than two decimal places is refused, not rounded. */
export function decimalToFen(decimal: string): bigint {
  if (!decimalPattern.test(decimal)) throw new RangeError(`'${decimal}' is not a decimal number`);
  const negative = decimal.startsWith('-');
  const [whole, fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  if (fraction.length > 2 && /[^0]/.test(fraction.slice(2))) {
    throw new RangeError(`'${decimal}' has more than two decimal places`);
  }
  const fen = BigInt(whole!) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  return negative ? -fen : fen;
}

export function isDecimal(value: string): boolean {
  return decimalPattern.test(value);
}
