import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { YEARS, isCalendarDay, parseInstant } from '../common/instants.js';
import { isDecimal } from '../common/money.js';

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function literalString(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw invalid(`${scalar} must be given as a string`);
  return ast.value;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function excerptOf(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 42 ? `${text.slice(0, 40)}…` : text;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDay(value)) throw invalid(`Date must be a calendar day YYYY-MM-DD in the years ${YEARS.from} to ${YEARS.to}; got ${excerptOf(value)}`);
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: `A calendar day, YYYY-MM-DD, in the years ${YEARS.from} to ${YEARS.to}.`,
  serialize: (value) => {
    if (typeof value !== 'string' || !datePattern.test(value)) throw new GraphQLError(`cannot serialize ${String(value)} as Date`);
    return value;
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literalString(ast, 'Date')),
});

function parseDateTime(value: unknown): Date {
  const instant = typeof value === 'string' ? parseInstant(value) : null;
  if (!instant) {
    throw invalid(`DateTime must be an RFC 3339 instant with seconds and a zone, in the years ${YEARS.from} to ${YEARS.to}, e.g. 2026-11-28T09:30:00Z; got ${excerptOf(value)}`);
  }
  return instant;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: `An instant in RFC 3339 (seconds and a zone required), in the years ${YEARS.from} to ${YEARS.to}; in UTC on output.`,
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError(`cannot serialize ${String(value)} as DateTime`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literalString(ast, 'DateTime')),
});

// Wider than any amount in fen a bigint holds (9.2e16 yuan), so range errors are the domain's to name.
const DECIMAL_DIGITS = { whole: 17, fraction: 6 } as const;

function parseDecimal(value: unknown): string {
  const [whole = '', fraction = ''] = typeof value === 'string' ? value.replace(/^-/, '').split('.') : [];
  if (typeof value !== 'string' || !isDecimal(value) || whole.length > DECIMAL_DIGITS.whole || fraction.length > DECIMAL_DIGITS.fraction) {
    throw invalid(`Decimal must be a string of at most ${DECIMAL_DIGITS.whole} digits with an optional sign and a fraction of at most ${DECIMAL_DIGITS.fraction}, e.g. "1234.50"; got ${excerptOf(value)}`);
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string.',
  serialize: (value) => parseDecimal(typeof value === 'string' ? value : String(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literalString(ast, 'Decimal')),
});

/** Output only: an upstream's payload, passed through as JSON. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: () => {
    throw invalid('JSON is an output type only');
  },
  parseLiteral: () => {
    throw invalid('JSON is an output type only');
  },
});
