/** The signed-in user's token, kept in this browser's session storage: gone when the tab closes. */
const KEY = 'creditgraph.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string | null): void => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY));

/** Who a token says the user is (its payload, unverified: the hub verifies it on every request). */
export function tokenViewer(token: string): { user: string; roles: string[]; expiresAt: Date } | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; roles?: string[]; exp?: number };
    if (!payload.sub || !Array.isArray(payload.roles)) return null;
    return { user: payload.sub, roles: payload.roles, expiresAt: new Date((payload.exp ?? 0) * 1000) };
  } catch {
    return null;
  }
}
