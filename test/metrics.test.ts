import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { generatePortfolio } from '../src/world/index.js';
import { createServices } from '../src/graphql/context.js';
import { toGlobalId } from '../src/graphql/ids.js';
import { bookLoans } from './support/loans.js';
import { FAST_RELIABILITY } from '../connectors/kit/reliability.js';
import { startTestHub, TEST_PERSON_ID_SALT, TEST_VIEWER, testToken, type TestHub } from './support/hub.js';
import { testClock } from './support/clock.js';
import { openTestStore, type TestStore } from './support/store.js';
import { monotonicMs } from '../src/common/clock.js';

/**
 * What an operator's Prometheus sees at /metrics, as the hub serves requests, pulls upstreams,
 * works its queue and raises alerts: each figure moves by what happened, and no more.
 */
const portfolio = generatePortfolio({ seed: 7, enterprises: 10, clock: '2026-11-01' });
let testStore: TestStore;
let upstreams: DemoUpstreams;
let hub: TestHub;

beforeAll(async () => {
  testStore = await openTestStore();
  upstreams = await startDemoUpstreams(portfolio, {});
  const now = testClock();
  await registerDemoEnterprises(testStore.store, portfolio, now(), TEST_PERSON_ID_SALT);
  hub = await startTestHub(testStore.store, 'test', createServices(testStore.store, { now, personIdSalt: TEST_PERSON_ID_SALT, upstreams: upstreams.configs, reliability: FAST_RELIABILITY }));
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await upstreams?.close();
  await testStore?.dispose();
});

type Series = { name: string; labels: Record<string, string>; value: number }[];

async function scrape(): Promise<Series> {
  const response = await fetch(`${hub.hub.url}/metrics`);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const series: Series = [];
  for (const line of (await response.text()).split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]));
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

/** The sum of a metric's series whose labels include these. */
function total(series: Series, name: string, labels: Record<string, string> = {}): number {
  return series.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value)).reduce((sum, s) => sum + s.value, 0);
}

it('counts requests by operation, errors by code, upstream requests, sync runs, the queue, alerts and the websocket', async () => {
  const before = await scrape();
  await hub.query('query Ping { ping }');
  await hub.query('query Ping { ping }');
  await hub.query('query NamedAsTheClientLikes { ping }');
  expect((await hub.as('scorer', 'SCORING_SERVICE').query('query Audit { auditEvents(first: 1) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await hub.withAuthorization(undefined).query('{ ping }')).status).toBe(401);

  const enterprises = await testStore.store.db.selectFrom('enterprise').select('id').orderBy('id').execute();
  const id = toGlobalId('Enterprise', enterprises[0]!.id);
  const sync = await hub.query<{ syncEnterprise: { status: string }[] }>('mutation Sync($id: ID!) { syncEnterprise(id: $id, sources: ["tax"]) { status } }', { id });
  expect(sync.data!.syncEnterprise).toEqual([{ status: 'SUCCEEDED' }]);
  upstreams.sandboxes.get('tax')!.setFaults({ rate: 1, kinds: ['http500'] });
  try {
    await hub.query('mutation Sync($id: ID!) { syncEnterprise(id: $id, sources: ["tax"]) { status } }', { id: toGlobalId('Enterprise', enterprises[1]!.id) });
  } finally {
    upstreams.sandboxes.get('tax')!.setFaults({ rate: 0 });
  }

  await bookLoans(testStore.store.db, enterprises.map((enterprise) => enterprise.id), { now: hub.now() });
  const subscriber = createClient({ url: `${hub.hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await testToken(TEST_VIEWER)}` }, retryAttempts: 0, lazy: false });
  const events: unknown[] = [];
  const closed = new Promise((resolve) => subscriber.on('closed', resolve));
  subscriber.subscribe({ query: 'subscription { alertRaised { id } }' }, { next: (event) => events.push(event), error: (error) => events.push(error), complete: () => undefined });
  // Subscriptions refused, one before it runs and one as it starts (a role without access): they end, and are not counted as running.
  const scorer = createClient({ url: `${hub.hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await testToken({ user: 'scorer', roles: ['SCORING_SERVICE'] })}` }, retryAttempts: 0, lazy: false });
  const refusals = await Promise.all(
    [subscriber, scorer].map((client, i) => new Promise((resolve) => client.subscribe({ query: i === 0 ? 'subscription { alertRaised { nothingHere } }' : 'subscription { alertRaised { id } }' }, { next: resolve, error: resolve, complete: () => resolve(undefined) }))),
  );
  expect(JSON.stringify(refusals)).toMatch(/BAD_USER_INPUT.*FORBIDDEN/);
  const refresh = await hub.query<{ refreshMonitoring: { raised: number } }>('mutation Refresh { refreshMonitoring { raised } }');
  for (const started = monotonicMs(); events.length < refresh.data!.refreshMonitoring.raised && monotonicMs() - started < 10_000; ) await new Promise((resolve) => setTimeout(resolve, 50));
  const after = await scrape();
  const moved = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);

  // Labelled by what the hub knows (the operation's type and first root field), never by the client's names.
  expect(moved('creditgraph_graphql_request_duration_seconds_count', { operation: 'query:ping' })).toBe(3);
  expect(moved('creditgraph_graphql_request_duration_seconds_count', { operation: 'mutation:syncEnterprise' })).toBe(2);
  expect(after.some((s) => s.labels.operation === 'Ping' || s.labels.operation === 'NamedAsTheClientLikes')).toBe(false);
  expect(moved('creditgraph_graphql_errors_total', { code: 'FORBIDDEN' })).toBe(1);
  expect(moved('creditgraph_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
  expect(moved('creditgraph_connector_requests_total', { source: 'tax', outcome: 'ok' })).toBeGreaterThan(0);
  expect(moved('creditgraph_connector_requests_total', { source: 'tax', outcome: 'server_error' })).toBeGreaterThan(0);
  expect(moved('creditgraph_sync_runs_total', { source: 'tax', status: 'SUCCEEDED' })).toBeGreaterThanOrEqual(1);
  expect(moved('creditgraph_sync_runs_total', { source: 'tax', status: 'FAILED' })).toBeGreaterThanOrEqual(1);
  expect(moved('creditgraph_sync_records_total', { source: 'tax', result: 'stored' })).toBeGreaterThan(0);
  expect(refresh.data!.refreshMonitoring.raised).toBeGreaterThan(0);
  expect(moved('creditgraph_alerts_raised_total')).toBe(refresh.data!.refreshMonitoring.raised);
  // Gauges read at the scrape: the circuits of every bound source, the queue's tasks.
  expect(after.filter((s) => s.name === 'creditgraph_connector_circuit_open').map((s) => s.labels.source)).toEqual(expect.arrayContaining(['tax', 'registry', 'court']));
  expect(after.find((s) => s.name === 'creditgraph_job_queue_depth' && s.labels.task === 'monitoring-sweep')?.value).toBe(0);
  expect(total(after, 'creditgraph_process_resident_memory_bytes')).toBeGreaterThan(0);
  // The websocket: one socket, one subscription running, an event sent for each alert raised.
  expect(events).toHaveLength(refresh.data!.refreshMonitoring.raised);
  expect([total(after, 'creditgraph_websocket_connections'), total(after, 'creditgraph_subscriptions_active')]).toEqual([2, 1]);
  expect(moved('creditgraph_subscription_events_total', { field: 'alertRaised' })).toBe(refresh.data!.refreshMonitoring.raised);
  await subscriber.dispose();
  await scorer.dispose();
  await closed;
  await new Promise((resolve) => setTimeout(resolve, 100));
  const gone = await scrape();
  expect([total(gone, 'creditgraph_websocket_connections'), total(gone, 'creditgraph_subscriptions_active')]).toEqual([0, 0]);
}, 120_000);
