import { InputError } from '../common/errors.js';
import type { QuarantinedRecordRow, SyncRunRow } from '../store/ingest-records.js';
import type { AlertRow, ApplicationRow, AuditEventRow, EnterpriseRow, LimitActionRow, LoanRow } from '../store/schema.js';

export const MAX_PAGE_SIZE = 100;

/** A Relay connection before its fields resolve; `totalCount` runs only when asked for. */
export interface ConnectionModel<T> {
  nodes: T[];
  cursorOf: (node: T) => string;
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

export type EnterpriseConnectionModel = ConnectionModel<EnterpriseRow>;
export type SyncRunConnectionModel = ConnectionModel<SyncRunRow>;
export type QuarantinedRecordConnectionModel = ConnectionModel<QuarantinedRecordRow>;
export type ApplicationConnectionModel = ConnectionModel<ApplicationRow>;
export type AuditEventConnectionModel = ConnectionModel<AuditEventRow>;
export type AlertConnectionModel = ConnectionModel<AlertRow>;
export type LimitActionConnectionModel = ConnectionModel<LimitActionRow>;
export type LoanConnectionModel = ConnectionModel<LoanRow>;

/** The Relay fields of every connection, from its model. */
export const connectionResolvers = {
  edges: <T>(connection: ConnectionModel<T>) => connection.nodes.map((node) => ({ cursor: connection.cursorOf(node), node })),
  pageInfo: <T>(connection: ConnectionModel<T>) => ({
    hasNextPage: connection.hasNextPage,
    endCursor: connection.nodes.length > 0 ? connection.cursorOf(connection.nodes.at(-1)!) : null,
  }),
  totalCount: <T>(connection: ConnectionModel<T>) => connection.totalCount(),
};

/**
 * A latest-first connection keyed on ids (`latestFirst` in the store): the page after the
 * cursor `after`, its cursors of `kind`, and the count, run only when asked for.
 */
export async function latestFirstConnection<T extends { id: string }>(
  kind: string,
  { first, after }: { first?: number | null; after?: string | null },
  read: (size: number, beforeId: string | undefined) => Promise<{ rows: T[]; hasNextPage: boolean }>,
  count: () => Promise<number>,
): Promise<ConnectionModel<T>> {
  const size = checkPageSize(first);
  const page = await read(size, decodeCursor(kind, after));
  return { nodes: page.rows, cursorOf: (node) => encodeCursor(kind, node.id), hasNextPage: page.hasNextPage, totalCount: count };
}

export function checkPageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new InputError(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`, { argument: 'first' });
  }
  return size;
}

/**
 * Cursors are opaque: a versioned kind and the last key seen, in base64url. Only cursors
 * this hub made decode; anything else is refused rather than silently restarting the list.
 */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`cg1:${kind}:${key}`).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `cg1:${kind}:`;
  const key = decoded.startsWith(prefix) ? decoded.slice(prefix.length) : '';
  if (!/^[1-9]\d{0,17}$/.test(key) || encodeCursor(kind, key) !== cursor) {
    throw new InputError(`after '${cursor}' is not a cursor from this list; pass an endCursor or a cursor this list returned`, {
      argument: 'after',
    });
  }
  return key;
}
