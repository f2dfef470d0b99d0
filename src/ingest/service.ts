import { recordAudit, type Actor } from '../audit/audit.js';
import { InputError, InvalidStateError, NotFoundError, UpstreamUnavailableError } from '../common/errors.js';
import { forEachConcurrently } from '../common/concurrency.js';
import type { Store } from '../store/database.js';
import { findQuarantineByIds, oldestOpenQuarantine, type QuarantinedRecordRow, type SyncRunRow } from '../store/ingest-records.js';
import type { BoundConnector } from './bind.js';
import { IngestEngine, type EngineOptions } from './engine.js';
import { Consents, type ConsentPolicy } from './consents.js';
import type { AnyConnector } from './sdk.js';

/**
 * The hub's view of its sources: every registered connector, the ones configured here (bound
 * to a transport and client), and syncs on request.
 */
export class IngestService {
  private readonly engine: IngestEngine;
  /** The enterprises' consents and their persons' own authorizations, which every pull checks. */
  readonly consents: Consents;

  constructor(
    private readonly store: Store,
    readonly registered: readonly AnyConnector[],
    private readonly bound: ReadonlyMap<string, BoundConnector>,
    options: EngineOptions & { consentPolicy: ConsentPolicy },
  ) {
    this.engine = new IngestEngine(store, options);
    this.consents = new Consents(store.db, options.consentPolicy, () => this.knownScopes(), options.personIdSalt, options.now);
  }

  /** The circuit state in front of a configured source's upstream; undefined when not configured. */
  circuitState(id: string) {
    return this.bound.get(id)?.transport.circuitState();
  }

  isConfigured(id: string): boolean {
    return this.bound.has(id);
  }

  /** Consent scopes a grant may name: those of every registered source. */
  knownScopes(): string[] {
    return this.registered.map((connector) => connector.manifest.consentScope);
  }

  /**
   * Syncs the named sources (all configured ones when omitted) for one enterprise, one after
   * another, each pull recorded in the audit trail as it starts.
   */
  async syncEnterprise(actor: Actor, enterpriseId: string, sources?: readonly string[]): Promise<SyncRunRow[]> {
    const ids = sources ? [...new Set(sources)] : [...this.bound.keys()];
    const unknown = ids.filter((id) => !this.registered.some((connector) => connector.manifest.id === id));
    if (unknown.length > 0) {
      const known = this.registered.map((connector) => connector.manifest.id).join(', ');
      throw new InputError(`unknown sources: ${unknown.join(', ')}; known: ${known}`, { argument: 'sources' });
    }
    const unconfigured = ids.filter((id) => !this.bound.has(id));
    if (unconfigured.length > 0) {
      throw new UpstreamUnavailableError(`sources not configured on this hub: ${unconfigured.join(', ')}`, { argument: 'sources' });
    }
    // Recorded before the pulls, so no pull goes unrecorded, however it ends; how each ended is its sync run.
    await recordAudit(this.store.db, actor, ids.map((id) => ({ action: 'PULL_DATA', subjectType: 'Enterprise', subjectId: enterpriseId, enterpriseId, after: { source: id } })));
    const runs: SyncRunRow[] = [];
    for (const id of ids) runs.push(await this.engine.syncEnterprise(enterpriseId, this.bound.get(id)!));
    return runs;
  }

  /**
   * Ends the runs whose process is gone (ABANDONED) and syncs each of their sources again for
   * its enterprise: the new run starts from the last checkpoint the abandoned one committed.
   * Sources not configured here are left for a process that has them.
   */
  async resumeAbandoned(actor: Actor): Promise<{ abandoned: number; resumed: number }> {
    const abandoned = await this.engine.reapAbandoned();
    const pending = new Map<string, { enterpriseId: string; source: string }>();
    for (const run of abandoned) {
      if (run.enterpriseId !== null && this.bound.has(run.source)) pending.set(`${run.source} ${run.enterpriseId}`, { enterpriseId: run.enterpriseId, source: run.source });
    }
    await forEachConcurrently([...pending.values()], 4, async ({ enterpriseId, source }) => {
      await this.syncEnterprise(actor, enterpriseId, [source]);
    });
    return { abandoned: abandoned.length, resumed: pending.size };
  }

  /**
   * Syncs every configured source for many enterprises, `concurrency` enterprises at a time
   * (each one's sources in registry order), reporting each enterprise's runs as it finishes.
   */
  async syncMany(actor: Actor, enterpriseIds: readonly string[], options: { concurrency: number; onEnterprise?: (runs: SyncRunRow[], done: number) => void }): Promise<void> {
    let done = 0;
    await forEachConcurrently(enterpriseIds, options.concurrency, async (id) => {
      const runs = await this.syncEnterprise(actor, id);
      options.onEnterprise?.(runs, ++done);
    });
  }

  /**
   * Normalizes quarantined records' kept payloads again with today's connector (the records
   * named, or the source's oldest open ones): each enterprise's as one REPLAY run, under the same
   * consent check as a sync. A record whose payload the hub kept without what the connector needs
   * (an ID number kept masked, or the stream it came in unknown) is left open for the next sync,
   * which fetches it again. Recorded in the audit trail before anything runs.
   */
  async replayQuarantined(actor: Actor, source: string, ids?: readonly string[]): Promise<ReplayOutcome> {
    const connector = this.registered.find((candidate) => candidate.manifest.id === source);
    if (!connector) {
      throw new InputError(`unknown source '${source}'; known: ${this.registered.map((known) => known.manifest.id).join(', ')}`, { argument: 'source' });
    }
    if (ids !== undefined && ids.length === 0) throw new InputError('ids: name at least one record, or leave ids out to replay the oldest open ones', { argument: 'ids' });
    if (ids !== undefined && ids.length > REPLAY_LIMIT) throw new InputError(`ids: at most ${REPLAY_LIMIT} records a call, not ${ids.length}`, { argument: 'ids' });
    let records: QuarantinedRecordRow[];
    let remaining = 0;
    let needsRefetch: number;
    if (ids === undefined) {
      ({ records, remaining, others: needsRefetch } = await oldestOpenQuarantine(this.store.db, source, REPLAY_LIMIT, { pattern: KEPT_ID_NUMBER.source, matching: false }));
    } else {
      records = await this.named(source, ids);
      needsRefetch = records.filter((record) => !replayableRecord(record)).length;
    }
    const replayable = records.filter((record) => replayableRecord(record));
    await recordAudit(this.store.db, actor, [
      { action: 'REPLAY_QUARANTINE', subjectType: 'Source', subjectId: source, after: { records: records.map((record) => record.id), replayable: replayable.length } },
    ]);
    const byEnterprise = new Map<string, QuarantinedRecordRow[]>();
    for (const record of replayable) byEnterprise.set(record.enterpriseId!, [...(byEnterprise.get(record.enterpriseId!) ?? []), record]);
    const runs: SyncRunRow[] = [];
    for (const [enterpriseId, rows] of byEnterprise) {
      runs.push(await this.engine.replay(enterpriseId, connector, rows.map((row) => ({ id: row.id, stream: row.stream!, payload: row.payload }))));
    }
    return { source, records: await findQuarantineByIds(this.store.db, records.map((record) => record.id)), runs, remaining, needsRefetch };
  }

  /** The records named, all of the source and open: anything else is refused before anything runs. */
  private async named(source: string, ids: readonly string[]): Promise<QuarantinedRecordRow[]> {
    const unique = [...new Set(ids)];
    const found = await findQuarantineByIds(this.store.db, unique);
    const missing = unique.filter((id) => !found.some((record) => record.id === id));
    if (missing.length > 0) throw new NotFoundError(`no quarantined record ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`, { argument: 'ids' });
    const elsewhere = found.filter((record) => record.source !== source);
    if (elsewhere.length > 0) throw new InputError(`records ${elsewhere.slice(0, 5).map((record) => record.id).join(', ')} came from ${elsewhere[0]!.source}, not ${source}`, { argument: 'ids' });
    const resolved = found.filter((record) => record.resolution !== null);
    if (resolved.length > 0) {
      const first = resolved[0]!;
      throw new InvalidStateError(`record ${first.id} is no longer in quarantine: ${first.resolution} by run ${first.resolvedBySyncRunId}${resolved.length > 1 ? ` (and ${resolved.length - 1} more)` : ''}`, { argument: 'ids' });
    }
    return found;
  }
}

/** At most this many records a replay: each call's runs and audit line stay of a size one can read. */
export const REPLAY_LIMIT = 500;

/** An ID number as the hub keeps it (maskIdNumber): the person cannot be linked again from it. The same pattern in JavaScript and PostgreSQL. */
const KEPT_ID_NUMBER = /\d{6}\*{8}[\dXx]{4}/;

/** Whether a quarantined record's kept payload is all its connector needs to normalize it again. */
export function replayableRecord(record: Pick<QuarantinedRecordRow, 'stream' | 'payload' | 'enterpriseId'>): boolean {
  return record.stream !== null && record.enterpriseId !== null && record.payload !== null && !KEPT_ID_NUMBER.test(JSON.stringify(record.payload));
}

export interface ReplayOutcome {
  source: string;
  /** The records replayed, or named and left for a fetch, as they stand after the replay. */
  records: QuarantinedRecordRow[];
  runs: SyncRunRow[];
  /** Replayable open records of the source beyond this call's limit. */
  remaining: number;
  /** Records (named, or of the source when none were) whose kept payload cannot be replayed: the next sync fetches them again. */
  needsRefetch: number;
}
