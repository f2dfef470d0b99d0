import { sql, type Transaction } from 'kysely';
import type { Viewer } from '../auth/roles.js';
import { systemClock } from '../common/clock.js';
import { GroupCommit } from '../common/group-commit.js';
import type { Db } from '../store/database.js';
import { latestFirst } from '../store/latest-first.js';
import type { Database } from '../store/schema.js';
import { canonicalUser } from '../auth/identity.js';

/**
 * Who does something, and why: the viewer of the request (or the hub itself), the purpose the
 * caller stated, and the request it came in, so an audit line leads to the request's log lines.
 */
export interface Actor extends Viewer {
  purpose: string | null;
  requestId: string | null;
}

/** The hub's own work (the demo fill, automatic decisions, expiry sweeps), for a stated purpose. */
export function systemActor(purpose: string): Actor {
  return { user: 'system', roles: [], purpose, requestId: null };
}

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId: string | null;
  enterpriseId?: string | null;
  /** Overrides the actor's stated purpose, e.g. a consent's own purpose. */
  purpose?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends to the audit trail, in the caller's transaction when given: a change and its audit
 * line commit together or not at all. The table refuses updates and deletes (migration 0006).
 */
export async function recordAudit(db: Db | Transaction<Database>, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  const at = systemClock();
  // A statement takes at most 65,535 parameters: eleven a line.
  for (let start = 0; start < entries.length; start += 1000) await db.insertInto('auditEvent').values(auditRows(actor, entries.slice(start, start + 1000), at)).execute();
}

/**
 * An audit line is dated in real time, when it was written, whatever the hub's today is (the
 * demo's runs its story): the trail says when someone acted, not which business day it was.
 */
function auditRows(actor: Actor, entries: readonly AuditEntry[], at: Date) {
  return entries.map((entry) => ({
    at,
    actor: actor.user,
    roles: [...actor.roles],
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    enterpriseId: entry.enterpriseId ?? null,
    purpose: entry.purpose ?? actor.purpose,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    requestId: actor.requestId,
  }));
}

type AuditWrite = { actor: Actor; entries: readonly AuditEntry[]; at: Date };

/**
 * Audit lines that belong to no change of their own (reads of personal data), written by group
 * commit: each caller waits until its lines are durable, but lines arriving while a write is in
 * flight go together in the next one, so under load many requests share one commit and its flush
 * instead of paying one each.
 */
export class AuditLog {
  private readonly writes: GroupCommit<AuditWrite, void>;
  private readonly deliveries: GroupCommit<Delivery, void>;

  constructor(db: Db) {
    this.writes = new GroupCommit<AuditWrite, void>(async (batch) => {
      await db.insertInto('auditEvent').values(batch.flatMap(({ actor, entries, at }) => auditRows(actor, entries, at))).execute();
      return batch.map(() => undefined);
    });
    this.deliveries = new GroupCommit<Delivery, void>(async (batch) => {
      await db.insertInto('auditEvent').values(deliveryRows(batch, systemClock())).execute();
      return batch.map(() => undefined);
    });
  }

  record(actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.writes.submit({ actor, entries, at: systemClock() });
  }

  /**
   * Personal data pushed to a subscriber (`subjects`: `Person:<id>`), recorded before the event
   * leaves. One event goes to many subscribers at once: the deliveries that meet in one group
   * commit share a line per subject, by `system`, that names every recipient (the `recipients`
   * column, which the audit trail's actor filter reads too), instead of a line per subscriber.
   */
  recordDelivery(actor: Actor, operation: string | null, subjects: readonly string[]): Promise<void> {
    if (subjects.length === 0) return Promise.resolve();
    return this.deliveries.submit({ actor, operation, subjects });
  }
}

type Delivery = { actor: Actor; operation: string | null; subjects: readonly string[] };

function deliveryRows(batch: readonly Delivery[], at: Date) {
  const lines = new Map<string, { operation: string | null; subject: string; recipients: Map<string, { user: string; roles: string[]; requestId: string | null }> }>();
  for (const { actor, operation, subjects } of batch) {
    for (const subject of subjects) {
      const key = JSON.stringify([operation, subject]);
      let line = lines.get(key);
      if (!line) lines.set(key, (line = { operation, subject, recipients: new Map() }));
      if (!line.recipients.has(actor.user)) line.recipients.set(actor.user, { user: actor.user, roles: [...actor.roles], requestId: actor.requestId });
    }
  }
  return [...lines.values()].map(({ operation, subject, recipients }) => {
    const [subjectType, subjectId] = subject.split(':') as [string, string];
    return {
      at,
      actor: 'system',
      roles: [],
      action: 'READ_PERSONAL_DATA',
      subjectType,
      subjectId,
      enterpriseId: null,
      purpose: 'delivery of subscription events',
      before: null,
      after: JSON.stringify({ operation, recipients: [...recipients.values()] }),
      requestId: null,
      recipients: [...recipients.keys()],
    };
  });
}

export interface AuditFilter {
  actor?: string | null;
  action?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  enterpriseId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

function filtered(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('auditEvent');
  // Users are kept by their canonical names: "Alice" finds alice's lines.
  // A user's lines: those they wrote, and deliveries made to them among others.
  if (filter.actor) {
    const user = canonicalUser(filter.actor);
    query = query.where((eb) => eb.or([eb('actor', '=', user), eb('recipients', '@>', sql<string[]>`ARRAY[${user}]::text[]`)]));
  }
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.subjectType) query = query.where('subjectType', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('subjectId', '=', filter.subjectId);
  if (filter.enterpriseId) query = query.where('enterpriseId', '=', filter.enterpriseId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  return query;
}

/** Latest first, keyset-paged on the id. */
export async function pageAuditEvents(db: Db, filter: AuditFilter, size: number, beforeId: string | undefined) {
  return latestFirst(filtered(db, filter).selectAll(), size, beforeId);
}

export async function countAuditEvents(db: Db, filter: AuditFilter): Promise<number> {
  const row = await filtered(db, filter).select(sql<string>`count(*)`.as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}
