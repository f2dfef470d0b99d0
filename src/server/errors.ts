import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HubError, type ErrorCode } from '../common/errors.js';
import { isStoreUnavailable } from '../store/database.js';
import { tooComplex } from './limits.js';

/** Apollo's own codes for requests that never reached a resolver, in the hub's taxonomy. */
const apolloCodes: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

export interface ErrorFormatterOptions {
  /** Show internal messages and stack traces (development only). @default false */
  exposeInternals: boolean;
  /** Where unexpected errors go, with their stack, since the client sees only a generic message. */
  logUnexpected: (error: unknown) => void;
  /** Where errors go that say the database server is down: not a bug, but the operator must know. */
  logUnavailable: (error: unknown) => void;
  /** What a request error's message may say (production hides limits and suggestions). */
  redact?: (message: string) => string;
}

/**
 * The one place where errors become `extensions.code`: domain errors keep their message
 * and code; Apollo's request errors keep their message under the hub's code (the original
 * in `extensions.reason`); the database server out of reach is SERVICE_UNAVAILABLE; anything
 * unexpected is INTERNAL_SERVER_ERROR, with its message hidden unless internals are exposed.
 */
export function createErrorFormatter(options: ErrorFormatterOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const answer = formatError(options, formatted, error);
    return { ...answer, message: shortenEchoes(answer.message) };
  };
}

function formatError(options: ErrorFormatterOptions, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  let original = unwrapResolverError(error);
  // Apollo wraps what validation reports; the hub's own error is underneath.
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
  if (original instanceof HubError) {
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: original.code, ...original.details },
    };
  }
  const complex = tooComplex(formatted.message);
  if (complex) return { message: complex.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: complex.extensions };
  const apolloCode = String(formatted.extensions?.code ?? '');
  const mapped = apolloCodes[apolloCode];
  if (mapped) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return {
      ...formatted,
      message: options.redact?.(formatted.message) ?? formatted.message,
      extensions: {
        ...(options.exposeInternals ? formatted.extensions : extensions),
        code: mapped,
        ...(mapped !== apolloCode ? { reason: apolloCode } : {}),
      },
    };
  }
  if (isStoreUnavailable(original)) {
    options.logUnavailable(original);
    return {
      message: 'the store is unavailable; try again shortly',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    };
  }
  options.logUnexpected(original);
  if (options.exposeInternals) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  }
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** The most of a client's input an error message quotes. */
const EXCERPT = 40;

/**
 * A message quotes a client's value at most in part: GraphQL's own messages quote a refused
 * value whole ("Variable "$a" got invalid value "…""), and so may a domain message naming what
 * it did not find. Any quoted run longer than an excerpt is cut to one.
 */
export function shortenEchoes(message: string): string {
  return message.replace(/"((?:[^"\\]|\\.){61,}?)"(?=[\s;:,.)\]}]|$)|'([^']{61,}?)'(?=[\s;:,.)\]}]|$)/gu, (quoted, double?: string, single?: string) => {
    const inner = double ?? single ?? '';
    const mark = quoted[0]!;
    return `${mark}${[...inner].slice(0, EXCERPT).join('')}…${mark}`;
  });
}
