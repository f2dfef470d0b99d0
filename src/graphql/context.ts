import { AuditLog, systemActor, type Actor } from '../audit/audit.js';
import { UserDirectory } from '../auth/directory.js';
import type { Viewer } from '../auth/roles.js';
import type { Clock } from '../common/clock.js';
import { loadConsentPolicy, type ConsentPolicy } from '../ingest/consents.js';
import { IngestService } from '../ingest/service.js';
import { bindFromEnvironment } from '../ingest/connector-config.js';
import { bindConnector, type BoundConnector, type ReliabilityOptions } from '../ingest/bind.js';
import { connectors } from '../ingest/registry.js';
import { loadRiskConfig, type RiskConfig } from '../risk/config.js';
import { JobQueue, type JobQueueOptions } from '../jobs/queue.js';
import { loadSignalConfig } from '../monitoring/config.js';
import { LimitActions } from '../monitoring/limits.js';
import { PortfolioService } from '../monitoring/portfolio.js';
import { MonitoringService, type MonitoringOptions } from '../monitoring/service.js';
import { OriginationService } from '../origination/service.js';
import { RiskService } from '../risk/service.js';
import type { DemoWorld } from '../demo/world.js';
import type { RequestLimits } from '../config/config.js';
import { Throttle } from '../server/limits.js';
import type { Db, Store } from '../store/database.js';
import { ReadRouting } from '../store/read-your-writes.js';
import type { OperationTypeNode } from 'graphql';
import { createLoaders, type Loaders } from './loaders.js';

/** Applications left open past their product's time expire: a job, hourly. */
export const EXPIRY_TASK = 'application-expiry';
/** Sync runs whose process is gone are marked ABANDONED and their sources resumed: a job, at start and every minute. */
export const RESUME_TASK = 'sync-resume';

/** The hub's long-lived services, shared by every request. */
export interface HubServices {
  store: Store;
  ingest: IngestService;
  risk: RiskService;
  origination: OriginationService;
  /** Audit lines of reads, group-committed. */
  auditLog: AuditLog;
  monitoring: MonitoringService;
  limits: LimitActions;
  portfolio: PortfolioService;
  /** The job queue every service defines its tasks on; started by whoever runs the hub. */
  jobs: JobQueue;
  /** The demo's upstreams and clock, when the hub runs the demo. */
  demoWorld: DemoWorld | undefined;
  /** The hub's clock: the real one, or the demo's. */
  now: Clock;
  /** Per-user budget of expensive operations. */
  throttle: Throttle;
  /** Whether a request's reads may go to the replica. */
  readRouting: ReadRouting;
  /** The users the hub has seen, to whom work may be assigned. */
  users: UserDirectory;
}

/** What every resolver gets: the services, this request's DataLoaders, and who is acting. */
export interface GraphQLContext extends HubServices {
  /**
   * The operation's type, once the hub has resolved it: only a query over HTTP may read the
   * replica. An object, since Apollo runs each operation with a shallow copy of the context.
   */
  operation: { type: OperationTypeNode | null };
  /** The profile, risk-view and feature reads: the replica's or the primary's (src/store/read-your-writes.ts). */
  reads: Db;
  /** This request's DataLoaders, over `reads`. */
  loaders: Loaders;
  /** The verified token's user and roles. */
  viewer: Viewer;
  /** The viewer with the purpose they stated and the request id: what audit lines record. */
  actor: Actor;
  /** Natural persons whose data this request read in clear (`Person:<id>`), audited once at its end. */
  personalReads: Set<string>;
}

/** What a request brings besides its operation. */
export interface RequestIdentity {
  viewer: Viewer;
  requestId: string | null;
  /** Why the caller reads or acts (the `X-Purpose` header), for the audit trail. */
  purpose: string | null;
}

/**
 * Where the hub's today comes from: a clock (production's is `systemClock`; tests pin theirs to
 * their data's date), or the demo, whose clock runs its story.
 */
export type HubTime = { now: Clock; demoWorld?: never } | { demoWorld: DemoWorld; now?: never };

/**
 * The services over a store, with every connector registered and bound to its upstream where
 * configured: in `environment`, or (the demo's sandboxes) in `upstreams`, which the
 * environment overrides. None by default: a hub that reads but cannot sync.
 */
export function createServices(
  store: Store,
  options: HubTime & {
    personIdSalt: string;
    upstreams?: ReadonlyMap<string, unknown>;
    reliability?: ReliabilityOptions;
    /** Scorecards, rules and products; `config/risk/` by default. */
    riskConfig?: RiskConfig;
    /** Consent purposes and validity; `config/consent.json` by default. */
    consentPolicy?: ConsentPolicy;
    jobs?: JobQueueOptions;
    monitoring?: MonitoringOptions;
    /** The configured limits; without them no user is rate-limited (tests, benchmarks). */
    limits?: RequestLimits;
    /** Sync runs' lease: 60 s by default, a heartbeat every sixth of it. */
    sync?: { leaseSeconds: number };
  },
  environment: NodeJS.ProcessEnv = {},
): HubServices {
  const fromEnvironment = bindFromEnvironment(connectors, environment);
  const bound = new Map<string, BoundConnector>();
  for (const connector of connectors) {
    const { id } = connector.manifest;
    const upstream = (options.demoWorld?.upstreams.configs ?? options.upstreams)?.get(id);
    const binding = fromEnvironment.get(id) ?? (upstream === undefined ? undefined : bindConnector(connector, upstream, options.reliability));
    if (binding) bound.set(id, binding);
  }
  const now = options.demoWorld ? options.demoWorld.clock.now : options.now;
  const lease = options.sync && { leaseSeconds: options.sync.leaseSeconds, heartbeatSeconds: Math.max(1, Math.floor(options.sync.leaseSeconds / 6)) };
  const ingest = new IngestService(store, connectors, bound, { ...options, now, consentPolicy: options.consentPolicy ?? loadConsentPolicy(), ...(lease ? { lease } : {}) });
  const risk = new RiskService(options.riskConfig ?? loadRiskConfig(), now);
  const jobs = new JobQueue(store, options.jobs);
  const users = new UserDirectory(store.db, now);
  const origination = new OriginationService(store.db, ingest, risk, users, now);
  jobs.define(RESUME_TASK, { policy: 'singleton', retryLimit: 3, leaseSeconds: 3600, handler: () => ingest.resumeAbandoned(systemActor('resume of sync runs whose process stopped')) });
  jobs.define(EXPIRY_TASK, { policy: 'singleton', retryLimit: 3, leaseSeconds: 300, handler: async () => ({ expired: await origination.expireDue(systemActor('expiry of applications left open')) }) });
  return {
    store,
    ingest,
    risk,
    origination,
    auditLog: new AuditLog(store.db),
    monitoring: new MonitoringService(store, ingest, risk, jobs, users, loadSignalConfig(), now, options.monitoring),
    limits: new LimitActions(store.db, now),
    portfolio: new PortfolioService(store.db, risk, now),
    jobs,
    demoWorld: options.demoWorld,
    now,
    throttle: new Throttle(store, options.limits?.expensivePerMinute ?? null),
    readRouting: new ReadRouting(store),
    users,
  };
}

export function createContext(services: HubServices, { viewer, requestId, purpose }: RequestIdentity): GraphQLContext {
  const context: Omit<GraphQLContext, 'reads' | 'loaders'> = { ...services, operation: { type: null }, viewer, actor: { ...viewer, requestId, purpose }, personalReads: new Set() };
  const reads = services.readRouting.readsFor(viewer.user, () => context.operation.type === 'query');
  return Object.assign(context, { reads, loaders: createLoaders(reads) });
}

/**
 * One audit line per natural person whose data the request read in clear (PIPL art. 55 asks
 * for a record of personal-data processing); written before the answer leaves, so no
 * unrecorded read reaches a client.
 */
export async function auditPersonalReads(context: GraphQLContext, operationName: string | null): Promise<void> {
  if (context.personalReads.size === 0) return;
  const entries = [...context.personalReads].map((key) => {
    const [subjectType, subjectId] = key.split(':') as [string, string];
    return { action: 'READ_PERSONAL_DATA', subjectType, subjectId, after: { operation: operationName } };
  });
  context.personalReads.clear();
  await context.auditLog.record(context.actor, entries);
}
