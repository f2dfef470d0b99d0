/**
 * The functional posts of the online credit process. A token carries one or more; each field
 * and mutation of the schema names the roles it allows (the @auth directive).
 */
export const ROLES = ['ANALYST', 'APPROVER', 'SENIOR_APPROVER', 'RISK_MANAGER', 'DATA_ENGINEER', 'SCORING_SERVICE', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: the token's subject and roles. */
export interface Viewer {
  user: string;
  roles: readonly Role[];
}

/**
 * Roles whose work needs natural persons' names and ID numbers: the credit officers and the
 * risk managers who judge a legal representative or a shareholder. Data engineers, scoring
 * services and administrators see them masked (PIPL: the minimum necessary).
 */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['ANALYST', 'APPROVER', 'SENIOR_APPROVER', 'RISK_MANAGER'];

/** Roles that may decide an application (maker-checker: never its maker). */
export const APPROVER_ROLES: readonly Role[] = ['APPROVER', 'SENIOR_APPROVER'];

/** Roles that work monitoring's alerts: acknowledge, resolve, escalate, and be assigned them. */
export const ALERT_ROLES: readonly Role[] = ['ANALYST', 'RISK_MANAGER'];

export function hasAnyRole(viewer: Viewer, roles: readonly Role[]): boolean {
  return viewer.roles.some((role) => roles.includes(role));
}
