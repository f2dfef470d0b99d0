import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The hub's Prometheus metrics (prom-client), one set a process in prom-client's default
 * registry, served at `/metrics`: GraphQL requests by operation and errors by code, upstream
 * requests and circuit states by source, sync runs, the job queue's depth, alerts raised, and
 * the process's own (memory, event-loop lag, GC). Labels are bounded by the hub's own names:
 * sources, codes, tasks, and an operation's type and first root field (a client names its
 * operations as it likes). A registry of its own, so nothing else's metrics leak in.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ prefix: 'creditgraph_', register: metricsRegistry });
const registers = [metricsRegistry];

const graphqlDuration = new Histogram({
  name: 'creditgraph_graphql_request_duration_seconds',
  help: 'GraphQL requests over HTTP, by operation type and first root field (e.g. query:enterprise), from Apollo taking the request to its response',
  labelNames: ['operation'] as const,
  registers,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
});
const graphqlErrors = new Counter({ name: 'creditgraph_graphql_errors_total', help: 'GraphQL errors sent, by extensions.code', labelNames: ['code'] as const, registers });
const connectorRequests = new Counter({
  name: 'creditgraph_connector_requests_total',
  help: 'Requests to upstreams, by source and outcome: ok, client_error (4xx), server_error (5xx, 429), network_error, invalid_json, circuit_open',
  labelNames: ['source', 'outcome'] as const,
  registers,
});
const syncRuns = new Counter({ name: 'creditgraph_sync_runs_total', help: 'Sync runs finished, by source and status', labelNames: ['source', 'status'] as const, registers });
const syncRecords = new Counter({
  name: 'creditgraph_sync_records_total',
  help: 'Records of finished sync runs, by source and what became of them (stored, duplicate, quarantined)',
  labelNames: ['source', 'result'] as const,
  registers,
});
const alertsRaised = new Counter({ name: 'creditgraph_alerts_raised_total', help: 'Alerts raised by monitoring sweeps in this process, by signal code and severity', labelNames: ['code', 'severity'] as const, registers });

const readsRouted = new Counter({
  name: 'creditgraph_reads_routed_total',
  help: "Requests whose profile, risk-view and feature reads went to the replica or the primary, and why: replica, mutation (or not over HTTP), own_write (the replica has not replayed the user's last write), replica_lagging, replica_unavailable (counted again when a request sent to the replica found it gone)",
  labelNames: ['to', 'reason'] as const,
  registers,
});

const circuits = new Map<string, () => string>();
new Gauge({
  name: 'creditgraph_connector_circuit_open',
  help: "Whether a source's circuit breaker is open (1), half-open (0.5) or closed (0)",
  labelNames: ['source'] as const,
  registers,
  collect() {
    this.reset();
    for (const [source, state] of circuits) this.set({ source }, { OPEN: 1, ISOLATED: 1, HALF_OPEN: 0.5 }[state()] ?? 0);
  },
});

const queues = new Set<() => Promise<Record<string, number>>>();
new Gauge({
  name: 'creditgraph_job_queue_depth',
  help: 'Jobs waiting or running in the job queue, by task',
  labelNames: ['task'] as const,
  registers,
  async collect() {
    this.reset();
    for (const depths of queues) {
      // A store that does not answer must not hang the scrape: its queue is left out.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Record<string, number>>((resolve) => (timer = setTimeout(() => resolve({}), 1000)));
      const found = await Promise.race([depths().catch(() => ({})), late]).finally(() => clearTimeout(timer));
      for (const [task, depth] of Object.entries(found)) this.set({ task }, depth);
    }
  },
});

/** Each hub's open sockets, and the subscriptions each holds. */
const websockets = new Set<() => { connections: number; subscriptions: number }>();
const sumOf = (field: 'connections' | 'subscriptions') => [...websockets].reduce((sum, read) => sum + read()[field], 0);
new Gauge({
  name: 'creditgraph_websocket_connections',
  help: 'Open graphql-ws connections (past their connection_init)',
  registers,
  collect() {
    this.set(sumOf('connections'));
  },
});
new Gauge({
  name: 'creditgraph_subscriptions_active',
  help: 'Subscriptions running over the websocket',
  registers,
  collect() {
    this.set(sumOf('subscriptions'));
  },
});
const subscriptionEvents = new Counter({ name: 'creditgraph_subscription_events_total', help: 'Events sent to subscribers, by the subscription root field', labelNames: ['field'] as const, registers });

export const metrics = {
  /** `operation` is the operation's type and first root field, e.g. `query:enterprise`, or `unknown` when it did not resolve. */
  graphqlRequest(operation: string, seconds: number, errorCodes: readonly string[]) {
    graphqlDuration.observe({ operation }, seconds);
    for (const code of errorCodes) graphqlErrors.inc({ code });
  },
  /** A request refused before GraphQL ran (401, a body too large or not JSON). */
  requestRefused(code: string) {
    graphqlErrors.inc({ code });
  },
  connectorRequest(source: string, outcome: 'ok' | 'client_error' | 'server_error' | 'network_error' | 'invalid_json' | 'circuit_open') {
    connectorRequests.inc({ source, outcome });
  },
  syncRun(source: string, status: string, counts: { stored: number; duplicates: number; quarantined: number }) {
    syncRuns.inc({ source, status });
    syncRecords.inc({ source, result: 'stored' }, counts.stored);
    syncRecords.inc({ source, result: 'duplicate' }, counts.duplicates);
    syncRecords.inc({ source, result: 'quarantined' }, counts.quarantined);
  },
  readsRouted(to: 'primary' | 'replica', reason: string) {
    readsRouted.inc({ to, reason });
  },
  alertRaised(code: string, severity: string) {
    alertsRaised.inc({ code, severity });
  },
  /** Reports a source's circuit state at each scrape (the latest transport bound for it). */
  watchCircuit(source: string, state: () => string) {
    circuits.set(source, state);
  },
  /** Reports a hub's websocket connections and subscriptions at each scrape, until the returned function is called. */
  watchWebsockets(read: () => { connections: number; subscriptions: number }): () => void {
    websockets.add(read);
    return () => websockets.delete(read);
  },
  subscriptionEvent(field: string) {
    subscriptionEvents.inc({ field });
  },
  /** Reports a queue's depth by task at each scrape, until the returned function is called. */
  watchQueue(depths: () => Promise<Record<string, number>>): () => void {
    queues.add(depths);
    return () => queues.delete(depths);
  },
};
