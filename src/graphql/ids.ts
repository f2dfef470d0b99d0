import { InputError } from '../common/errors.js';

/**
 * Opaque global ids ("Enterprise:42" in base64url): clients must not build them, and an id
 * of one type is never accepted where another is expected.
 */
export type NodeType = 'Enterprise' | 'Person' | 'Consent' | 'SyncRun' | 'QuarantinedRecord' | 'Application' | 'Loan' | 'AuditEvent';

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

export function fromGlobalId(type: NodeType, globalId: string, argument = 'id'): string {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9]\d{0,17})$/.exec(decoded);
  if (!match || Buffer.from(decoded).toString('base64url') !== globalId) {
    throw new InputError(`${argument} '${globalId}' is not an id issued by this hub`, { argument });
  }
  if (match[1] !== type) {
    throw new InputError(`${argument} '${globalId}' is of type ${match[1]}; expected an id of type ${type}`, { argument });
  }
  return match[2]!;
}
