import { sql } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.js';
import { InputError, InvalidStateError, NotFoundError } from '../common/errors.js';
import type { Db } from '../store/database.js';
import { loadProfilesAsOf, type ProfileAsOf } from '../store/profiles-as-of.js';
import type { AlertRow, AlertStatus } from '../store/schema.js';
import type { SignalConfig } from './config.js';
import { detectSignals } from './signals.js';

export interface AlertFilter {
  status?: AlertStatus | null;
  severity?: 'INFO' | 'WARNING' | 'CRITICAL' | null;
  enterpriseId?: string | null;
  assignee?: string | null;
}

export interface RefreshSummary {
  enterprises: number;
  signals: number;
  raised: number;
}

/** Enterprises whose profiles are read together. */
const BATCH = 500;
const MAX_NOTE = 2000;

/**
 * Post-loan monitoring over the store: a refresh compares each enterprise with a live loan as
 * of now with what its previous refresh saw, and raises each new signal once as an alert.
 */
export class MonitoringService {
  constructor(
    private readonly db: Db,
    private readonly config: SignalConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One sweep over the book: every enterprise with an ACTIVE or FROZEN loan. */
  async refresh(actor: Actor): Promise<RefreshSummary> {
    const now = this.now();
    const book = await this.db
      .selectFrom('loan')
      .select(['enterpriseId', sql<string>`sum(limit_fen)::text`.as('limitFen')])
      .where('status', 'in', ['ACTIVE', 'FROZEN'])
      .groupBy('enterpriseId')
      .orderBy('enterpriseId')
      .execute();
    const summary: RefreshSummary = { enterprises: book.length, signals: 0, raised: 0 };
    for (let start = 0; start < book.length; start += BATCH) {
      const batch = book.slice(start, start + BATCH);
      const ids = batch.map((loan) => loan.enterpriseId);
      const current = await loadProfilesAsOf(this.db, ids, now);
      const previous = await this.previousProfiles(ids);
      const found = batch.flatMap(({ enterpriseId, limitFen }) => {
        const profile = current.get(enterpriseId);
        if (!profile) return [];
        return detectSignals(previous.get(enterpriseId) ?? null, profile, { limitFen: BigInt(limitFen) }, this.config).map((signal) => ({ enterpriseId, signal }));
      });
      summary.signals += found.length;
      await this.db.transaction().execute(async (trx) => {
        const raised =
          found.length === 0
            ? []
            : await trx
                .insertInto('alert')
                .values(
                  found.map(({ enterpriseId, signal }) => ({
                    enterpriseId,
                    code: signal.code,
                    severity: signal.severity,
                    signalKey: signal.key,
                    evidence: JSON.stringify(signal.evidence),
                    recommendedAction: signal.recommendedAction,
                    detectedAt: now,
                    updatedAt: now,
                  })),
                )
                .onConflict((conflict) => conflict.columns(['enterpriseId', 'signalKey']).doNothing())
                .returningAll()
                .execute();
        summary.raised += raised.length;
        await recordAudit(
          trx,
          actor,
          raised.map((alert) => ({ action: 'RAISE_ALERT', subjectType: 'Alert', subjectId: alert.id, enterpriseId: alert.enterpriseId, after: { code: alert.code, severity: alert.severity } })),
        );
        await trx
          .insertInto('monitoringRefresh')
          .values(ids.map((enterpriseId) => ({ enterpriseId, refreshedAt: now })))
          .onConflict((conflict) => conflict.column('enterpriseId').doUpdateSet({ refreshedAt: now }))
          .execute();
      });
    }
    return summary;
  }

  /** Each enterprise's profile as its previous refresh saw it, read as of that instant. */
  private async previousProfiles(ids: readonly string[]): Promise<Map<string, ProfileAsOf>> {
    const rows = await this.db.selectFrom('monitoringRefresh').selectAll().where('enterpriseId', 'in', [...ids]).execute();
    const byInstant = new Map<number, string[]>();
    for (const row of rows) byInstant.set(row.refreshedAt.getTime(), [...(byInstant.get(row.refreshedAt.getTime()) ?? []), row.enterpriseId]);
    const profiles = new Map<string, ProfileAsOf>();
    for (const [instant, group] of byInstant) for (const [id, profile] of await loadProfilesAsOf(this.db, group, new Date(instant))) profiles.set(id, profile);
    return profiles;
  }

  acknowledge(actor: Actor, id: string) {
    return this.move(actor, id, 'ACKNOWLEDGE_ALERT', ['OPEN'], { status: 'ACKNOWLEDGED' });
  }

  escalate(actor: Actor, id: string) {
    return this.move(actor, id, 'ESCALATE_ALERT', ['ACKNOWLEDGED'], { status: 'ESCALATED' });
  }

  resolve(actor: Actor, id: string, note: string) {
    const text = note.trim();
    if (!text || text.length > MAX_NOTE) throw new InputError(`note must say how it was resolved, in 1 to ${MAX_NOTE} characters`, { argument: 'note' });
    return this.move(actor, id, 'RESOLVE_ALERT', ['ACKNOWLEDGED'], { status: 'RESOLVED', resolutionNote: text });
  }

  assign(actor: Actor, id: string, user: string) {
    const assignee = user.trim();
    if (!assignee || assignee.length > 200) throw new InputError('user must name who takes the alert', { argument: 'user' });
    return this.move(actor, id, 'ASSIGN_ALERT', ['OPEN', 'ACKNOWLEDGED', 'ESCALATED'], { assignee });
  }

  async find(id: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('alert').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Latest first, keyset-paged on the id. */
  async page(filter: AlertFilter, size: number, beforeId: string | undefined) {
    let query = this.filtered(filter).selectAll();
    if (beforeId) query = query.where('id', '<', beforeId);
    const rows = await query.orderBy('id', 'desc').limit(size + 1).execute();
    return { rows: rows.slice(0, size), hasNextPage: rows.length > size };
  }

  async count(filter: AlertFilter): Promise<number> {
    const row = await this.filtered(filter).select(sql<string>`count(*)`.as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filtered(filter: AlertFilter) {
    let query = this.db.selectFrom('alert');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.enterpriseId) query = query.where('enterpriseId', '=', filter.enterpriseId);
    if (filter.assignee) query = query.where('assignee', '=', filter.assignee);
    return query;
  }

  /** Moves an alert from one of `from` with `set`, audited in the same transaction; otherwise INVALID_STATE and nothing changes. */
  private async move(actor: Actor, id: string, action: string, from: readonly AlertStatus[], set: { status?: AlertStatus; assignee?: string; resolutionNote?: string }): Promise<AlertRow> {
    const alert = await this.find(id);
    if (!alert) throw new NotFoundError('no alert with that id', { argument: 'id' });
    if (!from.includes(alert.status)) {
      throw new InvalidStateError(`the alert is ${alert.status}; ${action.split('_')[0]!.toLowerCase()} needs it ${from.join(' or ')}`, { state: alert.status });
    }
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('alert')
        .set({ ...set, updatedAt: this.now() })
        .where('id', '=', id)
        .where('status', '=', alert.status)
        .where('updatedAt', '=', alert.updatedAt)
        .returningAll()
        .executeTakeFirst();
      if (!moved) throw new InvalidStateError('the alert changed meanwhile: read it again');
      await recordAudit(trx, actor, [
        { action, subjectType: 'Alert', subjectId: id, enterpriseId: alert.enterpriseId, before: { status: alert.status, assignee: alert.assignee }, after: { status: moved.status, assignee: moved.assignee, note: moved.resolutionNote } },
      ]);
      return moved;
    });
  }
}
