import { ForbiddenError, InputError } from '../common/errors.js';
import type { Role } from './roles.js';

/**
 * Characters that change how a name is stored but not how it reads: control characters, the
 * soft hyphen, zero-width spaces and joiners, direction marks and embeddings, word joiners, the
 * byte-order mark. The same class is in the store's `canonical_user` (migration 0015), so the
 * service and the database agree on who someone is.
 */
export const INVISIBLE = '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff';
const invisible = new RegExp(`[${INVISIBLE}]`, 'gu');

/** The hub's own name for its automatic work (decisions, sweeps): no token may speak for it. */
export const RESERVED_USERS: readonly string[] = ['system'];

/** Names of people are at most this long, canonical or not. */
export const MAX_USER_LENGTH = 200;

/**
 * One person is one identity however the name is spelt: Unicode NFKC (full-width letters become
 * ASCII), invisible characters removed, case folded, white space trimmed and collapsed. "Alice",
 * "alice " and "ａｌｉｃｅ" are all `alice`. Every comparison of users (maker-checker, assignment,
 * the audit trail's filters) is of canonical names, and the store holds no other.
 */
export function canonicalUser(name: string): string {
  const visible = name.normalize('NFKC').replace(invisible, '');
  // A character at a time, as the store's lower() maps them: a whole string's toLowerCase()
  // would write a Greek final sigma where the store writes σ.
  let lower = '';
  for (const char of visible) lower += char.toLowerCase();
  return lower.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** A name a client gave for a user (an assignee, a filter), canonical; empty or too long is refused. */
export function userArgument(name: string, argument: string): string {
  const user = canonicalUser(name);
  if (user === '' || user.length > MAX_USER_LENGTH) throw new InputError(`${argument} must name a user, in at most ${MAX_USER_LENGTH} characters`, { argument });
  if (RESERVED_USERS.includes(user)) throw new InputError(`${argument} '${user}' is the hub's own name for its automatic work, not a person's`, { argument });
  return user;
}

/**
 * Roles one person may not hold together (segregation of duties): who makes applications, consents
 * and limit proposals does not check them; a system administrator decides no credit. A token
 * carrying such a pair is refused, and the CLI mints none.
 */
export const SEPARATED_ROLES: readonly (readonly [Role, Role, string])[] = [
  ['ANALYST', 'APPROVER', 'the maker of an application may not hold the role that approves it'],
  ['ANALYST', 'SENIOR_APPROVER', 'the maker of an application may not hold the role that approves it'],
  ['ANALYST', 'RISK_MANAGER', 'the maker of a limit proposal may not hold the role that decides it'],
  ['ADMIN', 'APPROVER', 'a system administrator decides no credit'],
  ['ADMIN', 'SENIOR_APPROVER', 'a system administrator decides no credit'],
  ['ADMIN', 'RISK_MANAGER', 'a system administrator decides no credit'],
];

/** Refuses a set of roles that must be held by different people, naming the first conflict. */
export function checkSeparation(roles: readonly Role[]): void {
  const conflict = SEPARATED_ROLES.find(([a, b]) => roles.includes(a) && roles.includes(b));
  if (conflict) throw new ForbiddenError(`roles ${conflict[0]} and ${conflict[1]} are held by different people: ${conflict[2]}`, { roles: [conflict[0], conflict[1]] });
}
