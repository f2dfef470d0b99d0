import { createHmac } from 'node:crypto';

/**
 * A person's identity in the hub: an HMAC of the resident ID number under a secret salt, the
 * same for every source that names them. The clear number is never stored; a masked form is
 * kept for display.
 */
export function hashPersonId(salt: string, idNumber: string): string {
  return createHmac('sha256', salt).update(idNumber).digest('hex');
}

/** '320505********1234': the first 6 and the last 4 characters. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
}

/** '王**': the surname kept, so a screen still reads naturally, the given name hidden. */
export function maskName(name: string): string {
  const characters = [...name];
  return characters[0] + '*'.repeat(Math.max(1, characters.length - 1));
}

/** Every character masked: for roles that need none of it. */
export function maskWholly(text: string): string {
  return '*'.repeat(text.length);
}

/** An upstream payload with the string values under `keys` (at any depth) replaced by `mask` of them. */
export function maskKeys(value: unknown, keys: ReadonlySet<string>, mask: (text: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => maskKeys(item, keys, mask));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, keys.has(key) && typeof item === 'string' ? mask(item) : maskKeys(item, keys, mask)]));
}
