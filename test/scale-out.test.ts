import { createClient } from 'graphql-ws';
import { sql } from 'kysely';
import pg from 'pg';
import WebSocket from 'ws';
import { signToken } from '../src/auth/tokens.js';
import { registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { generatePortfolio, createRandom } from '../src/world/index.js';
import { toGlobalId } from '../src/graphql/ids.js';
import { environmentVariable } from '../src/ingest/connector-config.js';
import { openStore, type Store } from '../src/store/database.js';
import { TEST_PERSON_ID_SALT } from './support/hub.js';
import { bookLoans } from './support/loans.js';
import { createTopology, type HubProcess, type Topology } from './support/topology.js';
import { systemClock } from '../src/common/clock.js';
import { describeOnServer } from './support/server-suite.js';

/**
 * The hub scaled out as the README's "Scaling out" describes, on one machine: nginx in front of
 * two API processes, two workers, pgbouncer in transaction mode in front of the primary, and a
 * streaming replica for reads. The book's sweep runs across both workers while readers go
 * through nginx; one API process and one worker are killed (SIGKILL) in the middle of it.
 *
 * A database-server suite: it runs against PostgreSQL (DATABASE_URL set, as in CI), with
 * Debian's nginx and pgbouncer installed.
 */
const JWT_SECRET = 'scale-out-jwt-secret-of-forty-characters';
const METRICS_TOKEN = 'scale-out-metrics-token';
const READERS = 4;

const PROFILE = /* GraphQL */ `query Profile($id: ID!) { enterprise(id: $id) {
  name riskView { decision score } dataFreshness { source lastObservedAt } taxRatings { year grade }
} }`;

describeOnServer('scaled out: nginx, two API processes, two workers, pgbouncer and a replica', () => {
  let topology: Topology;
  let upstreams: DemoUpstreams;
  let store: Store;
  let enterpriseIds: string[];

  beforeAll(async () => {
    const portfolio = generatePortfolio({ seed: 11, enterprises: 40, clock: '2026-11-01' });
    upstreams = await startDemoUpstreams(portfolio, {});
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET,
      METRICS_TOKEN,
      PERSON_ID_SALT: TEST_PERSON_ID_SALT,
      HUB_URL: '',
      DEMO: '',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '6',
      // Small batches, so the sweep is many jobs for the two workers; a short lease, so a batch whose worker died is retried soon.
      MONITORING_BATCH_SIZE: '4',
      MONITORING_LEASE_SECONDS: '8',
      JOBS_MAINTENANCE_SECONDS: '1',
      RATE_LIMIT_EXPENSIVE_PER_MINUTE: '10',
    };
    for (const [id, config] of upstreams.configs) {
      for (const [key, value] of Object.entries(config as Record<string, string>)) env[environmentVariable(id, key)] = value;
    }
    topology = await createTopology({ env, replica: true, bouncer: true });
    store = await openStore({ kind: 'postgres', url: topology.primary.url, poolSize: 3 });
    // The processes run in production, on the machine's clock: the consents and the book are made on it.
    await registerDemoEnterprises(store, portfolio, systemClock(), TEST_PERSON_ID_SALT);
    const rows = await store.db.selectFrom('enterprise').select('id').orderBy('id').execute();
    enterpriseIds = rows.map((row) => row.id);
    await bookLoans(store.db, enterpriseIds, { now: systemClock() });
  }, 180_000);

  afterAll(async () => {
    await store?.close();
    await topology?.dispose();
    await upstreams?.close();
  });

  it('loses no job and doubles no alert when an API process and a worker are killed under traffic, and relays a worker’s alerts to a subscriber', async () => {
    const [api1, api2, worker1, worker2] = await Promise.all([topology.startApi(), topology.startApi(), topology.startWorker(), topology.startWorker()]);
    const balanced = await topology.balance([api1!, api2!]);
    const token = await signToken(new TextEncoder().encode(JWT_SECRET), { user: 'scale-out-manager', roles: ['RISK_MANAGER'] }, 3600, systemClock());
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    // A user's budget of expensive operations is one, whichever process serves them.
    const scorer = { 'content-type': 'application/json', authorization: `Bearer ${await signToken(new TextEncoder().encode(JWT_SECRET), { user: 'scale-out-scorer', roles: ['SCORING_SERVICE'] }, 3600, systemClock())}` };
    const vectors = JSON.stringify({ query: 'query($ids: [ID!]!) { featureVectors(enterpriseIds: $ids) { enterpriseId } }', variables: { ids: [toGlobalId('Enterprise', enterpriseIds[0]!)] } });
    const codes: string[] = [];
    for (let call = 0; call < 11; call++) {
      const response = await fetch(`${[api1, api2][call % 2]!.url}/graphql`, { method: 'POST', headers: scorer, body: vectors });
      const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
      codes.push(body.errors?.[0]?.extensions.code ?? 'OK');
    }
    expect(codes).toEqual([...Array.from({ length: 10 }, () => 'OK'), 'RATE_LIMITED']);

    const subscriber = createClient({ url: `${api1!.url!.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false });
    const heard: string[] = [];
    subscriber.subscribe<{ alertRaised: { id: string } }>({ query: 'subscription { alertRaised { id } }' }, { next: ({ data }) => data && heard.push(data.alertRaised.id), error: () => heard.push('error'), complete: () => undefined });

    // Readers through nginx, each retrying a failed read as a client of an idempotent query does.
    const failures: string[] = [];
    let reads = 0;
    let reading = true;
    const random = createRandom(20261130);
    const reader = async () => {
      while (reading) {
        const id = toGlobalId('Enterprise', enterpriseIds[random.int(0, enterpriseIds.length - 1)]!);
        for (let attempt = 1; ; attempt++) {
          const outcome = await fetch(`${balanced}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: PROFILE, variables: { id } }) }).then(
            async (response) => {
              const body = (await response.json().catch(() => ({ errors: [{ message: `not JSON (HTTP ${response.status})` }] }))) as { data?: unknown; errors?: { message: string }[] };
              return response.ok && !body.errors ? null : `HTTP ${response.status}: ${body.errors?.[0]?.message ?? ''}`;
            },
            (error: Error) => `${error.message}: ${String((error.cause as Error | undefined)?.message)}`,
          );
          if (outcome === null) break;
          failures.push(outcome);
          expect(attempt).toBeLessThan(5);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        reads++;
      }
    };
    const readers = Array.from({ length: READERS }, reader);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(failures).toEqual([]);

    // The sweep, asked of API process 1 (which survives), waits until the workers have done every batch.
    const sweep = fetch(`${api1!.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: 'mutation { refreshMonitoring { sweepId raised } }' }) }).then(
      async (response) => (await response.json()) as { data?: { refreshMonitoring: { sweepId: string; raised: number } }; errors?: unknown[] },
    );
    // Each worker works two batches at once: with three active, worker 2 holds at least one.
    const active = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'monitoring-batch' AND state = 'active'`.execute(store.db)).rows[0]!.n);
    for (let waited = 0; (await active()) < 3; waited += 20) {
      expect(waited).toBeLessThan(60_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker2!.stop('SIGKILL');
    const readsBeforeKill = reads;
    await api2!.stop('SIGKILL');

    const answer = await sweep;
    expect(answer.errors).toBeUndefined();
    const { sweepId, raised } = answer.data!.refreshMonitoring;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    reading = false;
    await Promise.all(readers);

    // Readers: only requests API process 2 held when it died failed, and each was answered on a retry.
    expect(reads).toBeGreaterThan(readsBeforeKill);
    expect(failures.length).toBeLessThanOrEqual(READERS);
    for (const failure of failures) expect(failure).toMatch(/^HTTP 502|fetch failed|socket|terminated/);

    // No lost job: every batch done, at least one of them taken over from the killed worker after its lease ran out.
    const batches = await sql<{ state: string; retryCount: number }>`
      SELECT state, retry_count FROM pgboss.job WHERE name = 'monitoring-batch' AND data->>'sweepId' = ${sweepId}`.execute(store.db);
    expect(batches.rows.length).toBe(Math.ceil(enterpriseIds.length / 4));
    expect(batches.rows.map((row) => row.state)).toEqual(batches.rows.map(() => 'completed'));
    expect(batches.rows.some((row) => row.retryCount > 0)).toBe(true);
    const judged = await store.db.selectFrom('monitoringSweepBatch').select(sql<string>`sum(enterprises)`.as('n')).where('sweepId', '=', sweepId).where('batch', '<', batches.rows.length).executeTakeFirstOrThrow();
    expect(Number(judged.n)).toBe(enterpriseIds.length);

    // No doubled alert, and the subscriber on API process 1 heard each of the sweep's alerts once.
    expect(raised).toBeGreaterThan(0);
    const doubled = await sql`SELECT enterprise_id, signal_key FROM alert GROUP BY 1, 2 HAVING count(*) > 1`.execute(store.db);
    expect(doubled.rows).toEqual([]);
    const alerts = await store.db.selectFrom('alert').select('id').where('sweepId', '=', sweepId).execute();
    expect(alerts.length).toBe(raised);
    for (let waited = 0; heard.length < raised; waited += 100) {
      expect(waited).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...heard].sort()).toEqual(alerts.map((alert) => toGlobalId('Alert', alert.id)).sort());
    await subscriber.dispose();

    // The reads went to the replica, and the hub's statements through pgbouncer.
    const metrics = await (await fetch(`${api1!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const replicaReads = metrics.split('\n').find((line) => line.startsWith('creditgraph_reads_routed_total{to="replica",reason="replica"}'));
    expect(Number(replicaReads?.split(' ').at(-1))).toBeGreaterThan(0);
    const admin = new pg.Client({ connectionString: topology.bouncerAdminUrl });
    await admin.connect();
    const stats = (await admin.query<{ database: string; total_xact_count: string }>('SHOW STATS')).rows.find((row) => row.database === 'postgres');
    await admin.end();
    expect(Number(stats?.total_xact_count)).toBeGreaterThan(reads);

    for (const process of [api1, worker1] as HubProcess[]) expect(process.output.join('\n')).not.toMatch(/unexpected error|"level":(50|60)/);
  }, 300_000);
});
