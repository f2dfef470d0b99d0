import type { UserDirectory } from '../auth/directory.js';
import { ALERT_ROLES } from '../auth/roles.js';
import { monotonicMs, type Clock } from '../common/clock.js';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql, type SelectQueryBuilder } from 'kysely';
import { metrics } from '../common/metrics.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { InputError, InvalidStateError, NotFoundError } from '../common/errors.js';
import type { IngestService } from '../ingest/service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Grade } from '../risk/config.js';
import type { RiskService } from '../risk/service.js';
import { findRelatedEnterprises } from '../store/related-enterprises.js';
import type { Db, Store } from '../store/database.js';
import { latestFirst } from '../store/latest-first.js';
import { loadEventsAsOf, loadProfilesAsOf, type EventProfile } from '../store/profiles-as-of.js';
import type { AlertRow, AlertStatus, Database } from '../store/schema.js';
import type { SignalConfig } from './config.js';
import { detectSignals, relatedCriticalAlerts, type LoanContext, type RelatedCritical, type Signal, type SignalSeverity } from './signals.js';
import { canonicalUser } from '../auth/identity.js';

export interface AlertFilter {
  status?: AlertStatus | null;
  severity?: SignalSeverity | null;
  enterpriseId?: string | null;
  assignee?: string | null;
  sweepId?: string | null;
}

export interface RefreshSummary {
  sweepId: string;
  startedAt: Date;
  finishedAt: Date;
  enterprises: number;
  /** Pulls that failed or were refused (no valid consent): those enterprises were judged on what the store held. */
  failedPulls: number;
  signals: number;
  raised: number;
}

/** A raised alert, as subscribers hear of it once its transaction has committed. */
export type AlertRaised = AlertRow;

export const SWEEP_TASK = 'monitoring-sweep';
/** The ids a notification names; anything else someone sent on the channel names none. */
function alertIds(payload: string): string[] {
  try {
    const ids: unknown = JSON.parse(payload);
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string' && /^\d{1,19}$/.test(id))) return ids as string[];
  } catch {
    // not JSON
  }
  return [];
}

/** The NOTIFY channel of raised alerts: a JSON array of alert ids a payload. */
const ALERT_CHANNEL = 'creditgraph_alert_raised';
const NOTIFY_IDS = 300;
export const BATCH_TASK = 'monitoring-batch';
export const RELATED_TASK = 'monitoring-related';
interface SweepJob {
  actor: Actor;
}
/** What a refresh records of an enterprise besides the instant. */
interface Refreshed {
  enterpriseId: string;
  product: string | null;
  grade: Grade | null;
}
interface RelatedJob {
  sweepId: string;
  actor: Actor;
}
interface BatchJob {
  sweepId: string;
  batch: number;
  enterpriseIds: string[];
  actor: Actor;
}

export interface MonitoringOptions {
  /** Enterprises a batch job pulls and judges together. @default 500 */
  batchSize?: number;
  /** Enterprises whose sources a batch pulls at once. @default 4 */
  pullConcurrency?: number;
  /** How long a worker may hold a batch before it is retried elsewhere. @default 1800 */
  leaseSeconds?: number;
}

const MAX_NOTE = 2000;
const SEVERITY_RANK: Record<SignalSeverity, number> = { INFO: 1, WARNING: 2, CRITICAL: 3 };
const ACTION_RANK: Record<Signal['recommendedAction'], number> = { WATCH: 1, REDUCE_LIMIT: 2, FREEZE: 3, RECALL: 4 };

/**
 * Post-loan monitoring over the store. A sweep is a job of the queue: it splits every
 * enterprise with a live loan into batch jobs, and each batch pulls the enterprises' sources,
 * compares each profile now with what its previous refresh saw, and raises each new signal once
 * as an alert, in one transaction with the batch's own row. A batch retried after a crash, or a
 * sweep run twice, raises nothing twice.
 */
export class MonitoringService {
  /**
   * Every alert raised by any process on this store, as this process hears of it (a NOTIFY sent
   * in the raising transaction, so after it committed, in its order), once `listenForAlerts` has run.
   */
  readonly raised = new EventEmitter<{ alert: [AlertRaised] }>();
  private readonly batchSize: number;
  private readonly pullConcurrency: number;
  private readonly db: Db;
  private listening: Promise<unknown> | undefined;
  /** Notifications relayed one after another, so alerts reach subscribers in the order they were raised. */
  private relaying: Promise<void> = Promise.resolve();
  /** The alerts relayed lately (so a catch-up after a reconnection sends none twice), and the highest id heard of. */
  private readonly relayed = new Set<string>();
  private highest = 0n;

  constructor(
    private readonly store: Store,
    private readonly ingest: IngestService,
    private readonly risk: RiskService,
    private readonly jobs: JobQueue,
    private readonly users: UserDirectory,
    private readonly config: SignalConfig,
    private readonly now: Clock,
    options: MonitoringOptions = {},
  ) {
    this.db = store.db;
    this.batchSize = options.batchSize ?? 500;
    this.pullConcurrency = options.pullConcurrency ?? 4;
    this.raised.setMaxListeners(0);
    jobs.define<SweepJob>(SWEEP_TASK, { policy: 'singleton', retryLimit: 5, leaseSeconds: 300, handler: (data, job) => this.planSweep(job.id, data.actor) });
    jobs.define<RelatedJob>(RELATED_TASK, { policy: 'standard', retryLimit: 5, leaseSeconds: 600, handler: (data) => this.relatedPhase(data) });
    jobs.define<BatchJob>(BATCH_TASK, { policy: 'standard', retryLimit: 5, leaseSeconds: options.leaseSeconds ?? 1800, workers: 2, handler: (data) => this.refreshBatch(data) });
  }

  /** Sends a sweep over the whole book and waits until every batch of it is done. */
  async refresh(actor: Actor, timeoutMs = 30 * 60_000): Promise<RefreshSummary> {
    const id = await this.jobs.send(SWEEP_TASK, { actor });
    const deadline = monotonicMs() + timeoutMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      const summary = await this.sweep(id);
      if (summary?.finishedAt) return summary as RefreshSummary;
      const state = await this.jobs.state(SWEEP_TASK, id);
      if (state === 'failed' || state === 'cancelled') throw new Error(`monitoring sweep ${id} ${state}`);
      if (await this.jobs.failed([BATCH_TASK, RELATED_TASK], 'sweepId', id)) throw new Error(`monitoring sweep ${id}: a part of it failed after every retry; the job queue's tables say why`);
      if (monotonicMs() > deadline) throw new Error(`monitoring sweep ${id} is still running after ${timeoutMs / 1000} s; no worker may be taking jobs`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** A sweep and what its finished batches found; `finishedAt` once every batch is done. */
  async sweep(id: string): Promise<(Omit<RefreshSummary, 'finishedAt'> & { finishedAt: Date | null }) | undefined> {
    const row = await this.db
      .selectFrom('monitoringSweep as s')
      .leftJoin('monitoringSweepBatch as b', 'b.sweepId', 's.id')
      .select([
        's.id',
        's.startedAt',
        's.enterprises',
        's.batches',
        sql<string>`count(b.batch)`.as('done'),
        sql<Date | null>`max(b.finished_at)`.as('lastFinishedAt'),
        sql<string>`coalesce(sum(b.failed_pulls), 0)`.as('failedPulls'),
        sql<string>`coalesce(sum(b.signals), 0)`.as('signals'),
        sql<string>`coalesce(sum(b.raised), 0)`.as('raised'),
      ])
      .where('s.id', '=', id)
      .groupBy('s.id')
      .executeTakeFirst();
    if (!row) return undefined;
    // Every batch, then the closing phase.
    const finished = Number(row.done) === row.batches + 1;
    return {
      sweepId: row.id,
      startedAt: row.startedAt,
      finishedAt: finished ? (row.lastFinishedAt ?? row.startedAt) : null,
      enterprises: row.enterprises,
      failedPulls: Number(row.failedPulls),
      signals: Number(row.signals),
      raised: Number(row.raised),
    };
  }

  /** The sweep job: the book as it stands, split into batch jobs sent with the sweep's row, once. */
  private async planSweep(id: string, actor: Actor): Promise<void> {
    const book = await this.db.selectFrom('loan').select('enterpriseId').distinct().where('status', 'in', ['ACTIVE', 'FROZEN']).orderBy('enterpriseId').execute();
    const batches: string[][] = [];
    for (let start = 0; start < book.length; start += this.batchSize) batches.push(book.slice(start, start + this.batchSize).map((loan) => loan.enterpriseId));
    await this.db.transaction().execute(async (trx) => {
      const planned = await trx
        .insertInto('monitoringSweep')
        .values({ id, requestedBy: actor.user, startedAt: this.now(), enterprises: book.length, batches: batches.length })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      // A retry of a sweep that already committed its batches sends none again.
      if (!planned) return;
      if (batches.length === 0) await this.jobs.send(RELATED_TASK, { sweepId: id, actor } satisfies RelatedJob, trx);
      await this.jobs.insert(
        BATCH_TASK,
        batches.map((enterpriseIds, batch) => ({ id: randomUUID(), data: { sweepId: id, batch, enterpriseIds, actor } satisfies BatchJob })),
        trx,
      );
    });
    this.jobs.wake(BATCH_TASK);
    this.jobs.wake(RELATED_TASK);
  }

  /** A batch job: pull, judge, and raise, all recorded with the batch's row or not at all. */
  private async refreshBatch({ sweepId, batch, enterpriseIds, actor }: BatchJob): Promise<void> {
    if (!(await this.phaseDone(sweepId, batch))) {
      let failedPulls = 0;
      await this.ingest.syncMany(actor, enterpriseIds, {
        concurrency: this.pullConcurrency,
        onEnterprise: (runs) => (failedPulls += runs.filter((run) => run.status === 'FAILED' || run.status === 'REFUSED').length),
      });
      const now = this.now();
      const { found, graded } = await this.detect(enterpriseIds, now);
      await this.commitPhase({ sweepId, phase: batch, enterprises: enterpriseIds.length, failedPulls, found, actor, now, refreshed: graded });
    }
    // Also when this batch was done already: an attempt that died between its commit and this
    // send must not leave the sweep without its closing phase. A second send is harmless.
    const sweep = await this.db.selectFrom('monitoringSweep').select('batches').where('id', '=', sweepId).executeTakeFirstOrThrow();
    const done = await this.db.selectFrom('monitoringSweepBatch').select(sql<string>`count(*)`.as('n')).where('sweepId', '=', sweepId).where('batch', '<', sweep.batches).executeTakeFirstOrThrow();
    if (Number(done.n) === sweep.batches && !(await this.phaseDone(sweepId, sweep.batches))) await this.jobs.send(RELATED_TASK, { sweepId, actor } satisfies RelatedJob);
  }

  /**
   * A sweep's closing phase, once every batch is done: enterprises of the book related (along
   * shareholdings and shared people) to one with an unresolved CRITICAL alert, including those
   * this sweep raised. Its row is phase number `batches`.
   */
  private async relatedPhase({ sweepId, actor }: RelatedJob): Promise<void> {
    const sweep = await this.db.selectFrom('monitoringSweep').select('batches').where('id', '=', sweepId).executeTakeFirstOrThrow();
    if (await this.phaseDone(sweepId, sweep.batches)) return;
    const book = (await this.db.selectFrom('loan').select('enterpriseId').distinct().where('status', 'in', ['ACTIVE', 'FROZEN']).execute()).map((row) => row.enterpriseId);
    const related = await this.relatedCritical(book);
    const found = [...related].flatMap(([enterpriseId, relatedCritical]) => relatedCriticalAlerts(relatedCritical).map((signal) => ({ enterpriseId, signal })));
    await this.commitPhase({ sweepId, phase: sweep.batches, enterprises: related.size, failedPulls: 0, found, actor, now: this.now(), refreshed: [] });
  }

  private async phaseDone(sweepId: string, phase: number): Promise<boolean> {
    return (await this.db.selectFrom('monitoringSweepBatch').select('batch').where('sweepId', '=', sweepId).where('batch', '=', phase).executeTakeFirst()) !== undefined;
  }

  /** A phase's alerts, their audit lines, the refresh instants and the phase's own row: all or nothing, once. */
  private async commitPhase(phase: { sweepId: string; phase: number; enterprises: number; failedPulls: number; found: { enterpriseId: string; signal: Signal }[]; actor: Actor; now: Date; refreshed: readonly Refreshed[] }): Promise<void> {
    const { sweepId, found, actor, now } = phase;
    const raised = await this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('monitoringSweepBatch')
        .values({ sweepId, batch: phase.phase, finishedAt: now, enterprises: phase.enterprises, failedPulls: phase.failedPulls, signals: found.length, raised: 0 })
        .onConflict((conflict) => conflict.columns(['sweepId', 'batch']).doNothing())
        .returning('batch')
        .executeTakeFirst();
      // Another attempt at this phase finished first: what it raised stands.
      if (!claimed) return [];
      const { raised: alerts, escalated } = await this.recordSignals(trx, found, sweepId, now);
      await trx.updateTable('monitoringSweepBatch').set({ raised: alerts.length }).where('sweepId', '=', sweepId).where('batch', '=', phase.phase).execute();
      // Delivered to every listening process when this transaction commits; a payload holds at most 8,000 bytes.
      const announced = [...alerts, ...escalated.map(({ alert }) => alert)].map((alert) => alert.id);
      for (let start = 0; start < announced.length; start += NOTIFY_IDS) {
        await sql`SELECT pg_notify(${ALERT_CHANNEL}, ${JSON.stringify(announced.slice(start, start + NOTIFY_IDS))})`.execute(trx);
      }
      await recordAudit(trx, actor, [
        ...alerts.map((alert) => ({ action: 'RAISE_ALERT', subjectType: 'Alert', subjectId: alert.id, enterpriseId: alert.enterpriseId, after: { code: alert.code, severity: alert.severity } })),
        ...escalated.map(({ alert, before }) => ({
          action: 'RAISE_ALERT_SEVERITY',
          subjectType: 'Alert',
          subjectId: alert.id,
          enterpriseId: alert.enterpriseId,
          before: { severity: before },
          after: { severity: alert.severity, recommendedAction: alert.recommendedAction },
        })),
      ]);
      if (phase.refreshed.length > 0) {
        await trx
          .insertInto('monitoringRefresh')
          .values(phase.refreshed.map((refreshed) => ({ ...refreshed, refreshedAt: now })))
          // Batches of two sweeps may overlap: an older one committing later never winds a refresh back.
          .onConflict((conflict) =>
            conflict
              .column('enterpriseId')
              .doUpdateSet((excluded) => ({ refreshedAt: now, product: excluded.ref('excluded.product'), grade: excluded.ref('excluded.grade') }))
              .where('monitoringRefresh.refreshedAt', '<', now),
          )
          .execute();
      }
      return alerts;
    });
    for (const alert of raised) metrics.alertRaised(alert.code, alert.severity);
  }

  /**
   * A phase's signals as alerts, one per condition: each occurrence (enterprise and signal key)
   * is recorded once, whatever alert holds it, so what was seen before raises nothing; a new
   * occurrence joins its enterprise's standing (unresolved) alert of the same code — its latest
   * evidence, its severity and recommended action raised when the occurrence's are higher — or,
   * with none standing, raises a new one. Safe under concurrent phases: the standing alert is
   * unique per enterprise and code, and occurrences per enterprise and key.
   */
  private async recordSignals(trx: Db, found: readonly { enterpriseId: string; signal: Signal }[], sweepId: string, now: Date) {
    const raised: AlertRow[] = [];
    const escalated: { alert: AlertRow; before: SignalSeverity }[] = [];
    if (found.length === 0) return { raised, escalated };
    const seen = new Set(
      (
        await trx
          .selectFrom('alertOccurrence')
          .select(['enterpriseId', 'signalKey'])
          .where('enterpriseId', 'in', [...new Set(found.map(({ enterpriseId }) => enterpriseId))])
          .where('signalKey', 'in', [...new Set(found.map(({ signal }) => signal.key))])
          .execute()
      ).map((row) => `${row.enterpriseId} ${row.signalKey}`),
    );
    const groups = new Map<string, { enterpriseId: string; code: string; signals: Signal[] }>();
    for (const { enterpriseId, signal } of found) {
      if (seen.has(`${enterpriseId} ${signal.key}`)) continue;
      seen.add(`${enterpriseId} ${signal.key}`);
      const key = `${enterpriseId} ${signal.code}`;
      const group = groups.get(key) ?? { enterpriseId, code: signal.code, signals: [] };
      group.signals.push(signal);
      groups.set(key, group);
    }
    if (groups.size === 0) return { raised, escalated };
    const strongest = (signals: readonly Signal[]) => ({
      severity: signals.reduce((top, signal) => (SEVERITY_RANK[signal.severity] > SEVERITY_RANK[top] ? signal.severity : top), signals[0]!.severity),
      recommendedAction: signals.reduce((top, signal) => (ACTION_RANK[signal.recommendedAction] > ACTION_RANK[top] ? signal.recommendedAction : top), signals[0]!.recommendedAction),
    });
    const list = [...groups.values()];
    // A statement takes at most 65,535 parameters: nine an alert.
    for (let start = 0; start < list.length; start += 1000) {
      raised.push(
        ...(await trx
          .insertInto('alert')
          .values(
            list.slice(start, start + 1000).map(({ enterpriseId, code, signals }) => ({
              enterpriseId,
              code,
              ...strongest(signals),
              signalKey: signals[0]!.key,
              evidence: JSON.stringify(signals.at(-1)!.evidence),
              detectedAt: now,
              updatedAt: now,
              sweepId,
            })),
          )
          // The partial index's predicate as written, not a parameter: PostgreSQL infers the index from the text.
          .onConflict((conflict) => conflict.columns(['enterpriseId', 'code']).where(sql<boolean>`status <> 'RESOLVED'`).doNothing())
          .returningAll()
          .execute()),
      );
    }
    const fresh = new Set(raised.map((alert) => alert.id));
    const standing = new Map<string, AlertRow>();
    for (let start = 0; start < list.length; start += 1000) {
      const slice = list.slice(start, start + 1000);
      const rows = await trx
        .selectFrom('alert')
        .selectAll()
        .where('status', '<>', 'RESOLVED')
        .where((eb) => eb.or(slice.map(({ enterpriseId, code }) => eb.and([eb('enterpriseId', '=', enterpriseId), eb('code', '=', code)]))))
        .execute();
      for (const row of rows) standing.set(`${row.enterpriseId} ${row.code}`, row);
    }
    const occurrences = list.flatMap(({ enterpriseId, code, signals }) =>
      signals.map((signal) => ({
        alertId: standing.get(`${enterpriseId} ${code}`)!.id,
        enterpriseId,
        signalKey: signal.key,
        severity: signal.severity,
        evidence: JSON.stringify(signal.evidence),
        recommendedAction: signal.recommendedAction,
        detectedAt: now,
        sweepId,
      })),
    );
    for (let start = 0; start < occurrences.length; start += 1000) {
      await trx
        .insertInto('alertOccurrence')
        .values(occurrences.slice(start, start + 1000))
        .onConflict((conflict) => conflict.columns(['enterpriseId', 'signalKey']).doNothing())
        .execute();
    }
    // A standing alert takes its new occurrences' latest evidence, and their severity where it is higher.
    for (const { enterpriseId, code, signals } of list) {
      const alert = standing.get(`${enterpriseId} ${code}`)!;
      if (fresh.has(alert.id)) continue;
      const top = strongest([...signals, { ...signals[0]!, severity: alert.severity, recommendedAction: alert.recommendedAction }]);
      const rises = SEVERITY_RANK[top.severity] > SEVERITY_RANK[alert.severity];
      const updated = await trx
        .updateTable('alert')
        .set({ evidence: JSON.stringify(signals.at(-1)!.evidence), ...(rises ? { ...top, updatedAt: now } : {}) })
        .where('id', '=', alert.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (rises) escalated.push({ alert: updated, before: alert.severity });
    }
    return { raised, escalated };
  }

  /**
   * Starts hearing of the alerts every process raises (idempotent): `raised` emits them from then
   * on. A store that cannot be listened to now is tried again on the next call.
   */
  async listenForAlerts(): Promise<void> {
    // Whatever one relay does, the next still runs.
    const inTurn = (work: () => Promise<void>) => void (this.relaying = this.relaying.then(work).catch(() => undefined));
    this.listening ??= (async () => {
      await this.store.listen(
        ALERT_CHANNEL,
        (payload) => {
          const ids = alertIds(payload);
          if (ids.length > 0) inTurn(() => this.relay(this.db.selectFrom('alert').selectAll().where('id', 'in', ids)));
        },
        // Back after the server went away: what was raised meanwhile, from the table.
        () => inTurn(() => this.relay(this.db.selectFrom('alert').selectAll().where('id', '>', String(this.highest)).limit(10_000))),
      );
      const { highest } = await this.db.selectFrom('alert').select((eb) => eb.fn.max('id').as('highest')).executeTakeFirstOrThrow();
      if (highest !== null && BigInt(highest) > this.highest) this.highest = BigInt(highest);
    })().catch((error: unknown) => {
      this.listening = undefined;
      throw error;
    });
    await this.listening;
  }

  private async relay(query: SelectQueryBuilder<Database, 'alert', AlertRow>): Promise<void> {
    try {
      for (const alert of await query.orderBy('id').execute()) {
        // An alert is announced when raised, and again when its severity rises.
        const announcement = `${alert.id} ${alert.severity}`;
        if (this.relayed.has(announcement)) continue;
        this.relayed.add(announcement);
        if (this.relayed.size > 10_000) this.relayed.delete(this.relayed.values().next().value!);
        if (BigInt(alert.id) > this.highest) this.highest = BigInt(alert.id);
        this.raised.emit('alert', alert);
      }
    } catch {
      // The store went away between the notification and the read: the reconnection's catch-up
      // sends these, or (if this process missed it too) the alerts query has them.
    }
  }

  /** The signals of a batch: each enterprise now against its previous refresh, and its loans. */
  private async detect(enterpriseIds: readonly string[], now: Date) {
    // Each enterprise's lines, the largest first: its product is the one graded.
    const loans = await this.db
      .selectFrom('loan')
      .select(['enterpriseId', 'product', 'limitFen'])
      .where('status', 'in', ['ACTIVE', 'FROZEN'])
      .where('enterpriseId', 'in', [...enterpriseIds])
      .orderBy('enterpriseId')
      .orderBy(sql`limit_fen`, 'desc')
      .execute();
    const current = await loadProfilesAsOf(this.db, enterpriseIds, now);
    const { previous, grades } = await this.previousRefresh(enterpriseIds);
    const provenance = await this.provenance(enterpriseIds);
    const linesOf = new Map<string, typeof loans>();
    for (const loan of loans) linesOf.set(loan.enterpriseId, [...(linesOf.get(loan.enterpriseId) ?? []), loan]);
    const found: { enterpriseId: string; signal: Signal }[] = [];
    const graded: Refreshed[] = [];
    for (const enterpriseId of enterpriseIds) {
      const lines = linesOf.get(enterpriseId) ?? [];
      const profile = current.get(enterpriseId);
      if (lines.length === 0 || !profile) {
        graded.push({ enterpriseId, product: null, grade: null });
        continue;
      }
      const product = this.risk.products.find((candidate) => candidate.id === lines[0]!.product);
      const before = previous.get(enterpriseId) ?? null;
      const grade = product ? this.risk.assess(profile, product).grade : null;
      graded.push({ enterpriseId, product: product?.id ?? null, grade });
      // A grade is compared only with one of the same product.
      const then = grades.get(enterpriseId);
      const context: LoanContext = {
        limitFen: lines.reduce((sum, loan) => sum + BigInt(loan.limitFen), 0n),
        ...(product && grade ? { grades: { product: product.id, previous: then?.product === product.id ? then.grade : null, current: grade } } : {}),
      };
      for (const signal of detectSignals(before, profile, context, this.config)) {
        // Where the facts came from: the source's latest completed sync of this enterprise.
        const run = provenance.get(`${enterpriseId}:${signal.evidence.source}`);
        found.push({ enterpriseId, signal: { ...signal, evidence: { ...signal.evidence, ...(run ? { syncRunId: run.id, syncedAt: run.finishedAt } : {}) } } });
      }
    }
    return { found, graded };
  }

  /** For each of these enterprises, the related enterprises with a CRITICAL alert not resolved. */
  private async relatedCritical(enterpriseIds: readonly string[]): Promise<Map<string, RelatedCritical[]>> {
    const alerted = await this.db
      .selectFrom('alert')
      .select(['id', 'enterpriseId', 'code', 'signalKey'])
      .where('severity', '=', 'CRITICAL')
      .where('status', '<>', 'RESOLVED')
      .orderBy('id')
      .execute();
    const byEnterprise = new Map<string, RelatedCritical[]>();
    if (alerted.length === 0) return byEnterprise;
    // Relations run both ways, so walking out from the few alerted enterprises finds the batch's.
    const batch = new Set(enterpriseIds);
    const roots = [...new Set(alerted.map((alert) => alert.enterpriseId))];
    const named = new Map((await this.db.selectFrom('enterprise').select(['id', 'uscc', 'name']).where('id', 'in', roots).execute()).map((row) => [row.id, row]));
    for (const walk of await findRelatedEnterprises(this.db, roots, this.config.relatedAlert.depth)) {
      const target = walk.enterprise.id;
      if (walk.distance === 0 || !batch.has(target)) continue;
      const source = named.get(walk.rootId)!;
      // One signal per related enterprise, for its earliest CRITICAL alert still standing: a new
      // one comes only once that is resolved and another is raised.
      const alert = alerted.find((candidate) => candidate.enterpriseId === walk.rootId)!;
      byEnterprise.set(target, [...(byEnterprise.get(target) ?? []), { enterpriseId: walk.rootId, uscc: source.uscc, name: source.name, distance: walk.distance, code: alert.code, signalKey: alert.signalKey }]);
    }
    return byEnterprise;
  }

  /** The latest completed sync run per enterprise and source. */
  private async provenance(enterpriseIds: readonly string[]): Promise<Map<string, { id: string; finishedAt: Date | null }>> {
    const runs = await this.db
      .selectFrom('syncRun')
      .select(['id', 'enterpriseId', 'source', 'finishedAt'])
      .distinctOn(['enterpriseId', 'source'])
      .where('enterpriseId', 'in', [...enterpriseIds])
      .where('status', 'in', ['SUCCEEDED', 'PARTIAL'])
      .orderBy('enterpriseId')
      .orderBy('source')
      .orderBy('id', 'desc')
      .execute();
    return new Map(runs.map((run) => [`${run.enterpriseId}:${run.source}`, run]));
  }

  /**
   * What each enterprise's previous refresh saw: its events, read as of that instant (the
   * monthly series are judged on their own, now), and the grade it recorded.
   */
  private async previousRefresh(ids: readonly string[]) {
    const rows = await this.db.selectFrom('monitoringRefresh').selectAll().where('enterpriseId', 'in', [...ids]).execute();
    const byInstant = new Map<number, string[]>();
    for (const row of rows) byInstant.set(row.refreshedAt.getTime(), [...(byInstant.get(row.refreshedAt.getTime()) ?? []), row.enterpriseId]);
    const previous = new Map<string, EventProfile>();
    for (const [instant, group] of byInstant) for (const [id, profile] of await loadEventsAsOf(this.db, group, new Date(instant))) previous.set(id, profile);
    const grades = new Map(rows.map((row) => [row.enterpriseId, { product: row.product, grade: row.grade }]));
    return { previous, grades };
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

  async assign(actor: Actor, id: string, user: string) {
    const assignee = await this.users.assignee(user, 'user', ALERT_ROLES, 'work an alert');
    return this.move(actor, id, 'ASSIGN_ALERT', ['OPEN', 'ACKNOWLEDGED', 'ESCALATED'], { assignee });
  }

  async find(id: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('alert').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Latest first, keyset-paged on the id. */
  async page(filter: AlertFilter, size: number, beforeId: string | undefined) {
    return latestFirst(this.filtered(filter).selectAll(), size, beforeId);
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
    if (filter.assignee) query = query.where('assignee', '=', canonicalUser(filter.assignee));
    if (filter.sweepId) query = query.where('sweepId', '=', filter.sweepId);
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
