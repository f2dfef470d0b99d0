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
