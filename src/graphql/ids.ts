import { InputError } from '../common/errors.js';

/**
 * Opaque global ids ("Enterprise:42" in base64url): clients must not build them, and an id
 * of one type is never accepted where another is expected.
 */
const NODE_TYPES = ['Enterprise', 'Person', 'Consent', 'PersonConsent', 'SyncRun', 'QuarantinedRecord', 'Application', 'Loan', 'AuditEvent', 'Alert', 'LimitAction'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

export function fromGlobalId(type: NodeType, globalId: string, argument = 'id'): string {
  const decoded = decodeGlobalId(globalId, argument);
  if (decoded.type !== type) {
    throw new InputError(`${argument} '${globalId}' is of type ${decoded.type}; expected an id of type ${type}`, { argument });
  }
  return decoded.id;
}

/** Any type's id, where more than one type is accepted. */
export function decodeGlobalId(globalId: string, argument = 'id'): { type: NodeType; id: string } {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9]\d{0,17})$/.exec(decoded);
  if (!match || Buffer.from(decoded).toString('base64url') !== globalId || !NODE_TYPES.includes(match[1] as NodeType)) {
    throw new InputError(`${argument} '${globalId}' is not an id issued by this hub`, { argument });
  }
  return { type: match[1] as NodeType, id: match[2]! };
}
