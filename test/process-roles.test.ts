import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-ws';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { signToken } from '../src/auth/tokens.js';
import { registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { generatePortfolio } from '../src/world/index.js';
import { toGlobalId } from '../src/graphql/ids.js';
import { environmentVariable } from '../src/ingest/connector-config.js';
import { bookLoans } from './support/loans.js';
import { TEST_PERSON_ID_SALT } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';
import { systemClock } from '../src/common/clock.js';
import { describeOnServer } from './support/server-suite.js';

/**
 * Process roles on one PostgreSQL database, as an operator runs them: `serve --role api` serves
 * GraphQL and only sends jobs; `serve --role worker` works them. A sweep asked of the API process
 * waits until a worker takes it, and the alerts the worker raises reach a subscriber connected to
 * the API process (NOTIFY, after the raising transaction commits).
 *
 * A database-server suite: it runs against PostgreSQL (DATABASE_URL set, as in CI).
 */
const cli = ['--import', 'tsx', 'src/cli/main.ts'];
const JWT_SECRET = 'process-roles-jwt-secret-of-forty-chars';

function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; line: string; output: string[] }> {
  const child = spawn(process.execPath, [...cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      if (ready.test(line)) resolve({ child, line, output });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output.join('\n').slice(-2000)}`)));
  });
}

describeOnServer('process roles on one PostgreSQL', () => {
  let testStore: TestStore;
  let upstreams: DemoUpstreams;
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    testStore = await openTestStore();
    const portfolio = generatePortfolio({ seed: 7, enterprises: 10, clock: '2026-11-01' });
    upstreams = await startDemoUpstreams(portfolio, {});
    // The hub processes run in production, on the machine's clock (CLOCK_START is refused there):
    // the consents and the book are made on it.
    await registerDemoEnterprises(testStore.store, portfolio, systemClock(), TEST_PERSON_ID_SALT);
    const enterprises = await testStore.store.db.selectFrom('enterprise').select('id').orderBy('id').execute();
    await bookLoans(testStore.store.db, enterprises.map((enterprise) => enterprise.id), { now: systemClock() });
    env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: testStore.url, JWT_SECRET, PERSON_ID_SALT: TEST_PERSON_ID_SALT, PORT: '0', HUB_URL: '', DEMO: '', LOG_LEVEL: 'info' };
    for (const [id, config] of upstreams.configs) {
      for (const [key, value] of Object.entries(config as Record<string, string>)) env[environmentVariable(id, key)] = value;
    }
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await upstreams?.close();
    await testStore?.dispose();
  });

  it('leaves jobs to the worker, and the alerts a worker raises reach a subscriber of the API process', async () => {
    const api = await start(['serve', '--role', 'api'], env, /"msg":"hub listening"/);
    children.push(api.child);
    const url = (JSON.parse(api.line) as { url: string }).url;
    const token = await signToken(new TextEncoder().encode(JWT_SECRET), { user: 'roles-manager', roles: ['RISK_MANAGER'] }, 3600, systemClock());

    const subscriber = createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false });
    const heard: { id: string; signal: { code: string } }[] = [];
    subscriber.subscribe<{ alertRaised: { id: string; signal: { code: string } } }>({ query: 'subscription { alertRaised { id signal { code } } }' }, { next: ({ data }) => data && heard.push(data.alertRaised), error: (error) => heard.push({ id: 'error', signal: { code: JSON.stringify(error) } }), complete: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const ask = async <T>(query: string) => {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      return (await response.json()) as { data?: T; errors?: unknown[] };
    };
    const sweep = ask<{ refreshMonitoring: { sweepId: string; raised: number } }>('mutation { refreshMonitoring { sweepId raised } }');
    // No worker yet: the sweep waits in the queue.
    const state = async () => (await sql<{ state: string }>`SELECT state FROM pgboss.job WHERE name = 'monitoring-sweep'`.execute(testStore.store.db)).rows.map((row) => row.state);
    for (let waited = 0; (await state()).length === 0; waited += 100) {
      expect(waited).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await state()).toEqual(['created']);

    const worker = await start(['serve', '--role', 'worker'], env, /"msg":"worker ready/);
    children.push(worker.child);
    expect(worker.output.join('\n')).not.toContain('hub listening');
    const answer = await sweep;
    expect(answer.errors).toBeUndefined();
    const { sweepId, raised } = answer.data!.refreshMonitoring;
    expect(raised).toBeGreaterThan(0);

    for (let waited = 0; heard.length < raised; waited += 100) {
      expect(waited).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const listed = await ask<{ alerts: { edges: { node: { id: string } }[] } }>(`{ alerts(filter: { sweepId: "${sweepId}" }, first: 100) { edges { node { id } } } }`);
    expect(heard.map((alert) => alert.id).sort()).toEqual(listed.data!.alerts.edges.map((edge) => edge.node.id).sort());

    // The API process's LISTEN connection cut, and an alert committed meanwhile whose notification
    // it cannot hear (written here without one): once it is back, it catches up from the table.
    const { db } = testStore.store;
    // Anyone with access to the database may send on the channel: what is not a list of ids is ignored, and the relay goes on.
    await sql`SELECT pg_notify('creditgraph_alert_raised', 'not json'), pg_notify('creditgraph_alert_raised', '[1, {"id": 2}]')`.execute(db);
    const cut = await sql<{ cut: boolean }>`
      SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN creditgraph_alert_raised'`.execute(db);
    expect(cut.rows.map((row) => row.cut)).toEqual([true]);
    const enterprise = await db.selectFrom('enterprise').select('id').orderBy('id').executeTakeFirstOrThrow();
    const missed = await db
      .insertInto('alert')
      .values({ enterpriseId: enterprise.id, code: 'ENFORCEMENT', severity: 'CRITICAL', signalKey: 'process-roles:catch-up', evidence: JSON.stringify({ test: true }), recommendedAction: 'FREEZE', detectedAt: systemClock(), updatedAt: systemClock() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const caughtUp = toGlobalId('Alert', missed.id);
    for (let waited = 0; !heard.some((alert) => alert.id === caughtUp); waited += 100) {
      expect(waited).toBeLessThan(15_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(heard.filter((alert) => alert.id === caughtUp)).toHaveLength(1);
    await subscriber.dispose();
  }, 180_000);

  it('refuses a role with the embedded store, an unknown role, and a role with the demo', async () => {
    const refused = async (args: string[], extra: NodeJS.ProcessEnv) => {
      const error = await start(args, { ...env, ...extra }, /never/).then(
        () => 'started',
        (failure: Error) => failure.message,
      );
      return error;
    };
    expect(await refused(['serve', '--role', 'api'], { DATABASE_URL: '', DATA_DIR: 'memory' })).toContain('--role api: processes share the store only on a PostgreSQL server');
    expect(await refused(['serve', '--role', 'primary'], {})).toContain('--role primary: api, worker or all');
    expect(await refused(['serve', '--role', 'worker'], { NODE_ENV: 'development', DEMO: 'true' })).toContain('--role worker: the demo');
  }, 60_000);
});
