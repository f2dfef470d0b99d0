/**
 * The hub's error taxonomy. Domain modules throw these; the GraphQL layer maps each to its
 * `extensions.code` in one place (src/server/errors.ts). Messages say what to change.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'CONSENT_REQUIRED'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'UPSTREAM_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export abstract class HubError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    /** Structured details safe to show to the caller (e.g. the argument at fault). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InputError extends HubError {
  readonly code = 'BAD_USER_INPUT';
}
export class UnauthenticatedError extends HubError {
  readonly code = 'UNAUTHENTICATED';
}
export class ForbiddenError extends HubError {
  readonly code = 'FORBIDDEN';
}
export class NotFoundError extends HubError {
  readonly code = 'NOT_FOUND';
}
export class InvalidStateError extends HubError {
  readonly code = 'INVALID_STATE';
}
export class ConsentRequiredError extends HubError {
  readonly code = 'CONSENT_REQUIRED';
}
export class RateLimitedError extends HubError {
  readonly code = 'RATE_LIMITED';
}
export class UpstreamUnavailableError extends HubError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
}
