import { recordAudit, type Actor } from '../audit/audit.js';
import { InputError, UpstreamUnavailableError } from '../common/errors.js';
import { forEachConcurrently } from '../common/concurrency.js';
import type { Store } from '../store/database.js';
import type { SyncRunRow } from '../store/ingest-records.js';
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
}
