import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { systemActor } from '../src/audit/audit.js';
import { monotonicMs } from '../src/common/clock.js';
import { registerDemoEnterprises } from '../src/demo/fill.js';
import { createServices } from '../src/graphql/context.js';
import { environmentVariable } from '../src/ingest/connector-config.js';
import { openStore, type Store } from '../src/store/database.js';
import { testClock } from './support/clock.js';
import { TEST_CLOCK, demoUpstreamsForFile } from './support/demo.js';

/**
 * Sync runs end, however their process does: `sync --all` killed (SIGKILL) in the middle leaves
 * runs RUNNING with no live holder; the next hub to start marks them ABANDONED and syncs their
 * sources again from the checkpoints they committed, and once the operator's sync has run again
 * the store holds exactly what an uninterrupted sync stores. Real sandboxes on loopback, a real
 * store on disk, the real CLI.
 */
const SALT = 'sync-lease-salt-00000001';
const run = promisify(execFile);
const cli = (...args: string[]) => ['--import', 'tsx', 'src/cli/main.ts', ...args];
const now = testClock(TEST_CLOCK);
/** What a sync stores, table by table. */
const FACT_TABLES = ['raw_payload', 'quarantined_record', 'person', 'relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month', 'enterprise_version'];

const world = demoUpstreamsForFile({ seed: 12, enterprises: 14 });

const requests = () => [...world.upstreams.sandboxes.values()].reduce((sum, sandbox) => sum + sandbox.stats().requests, 0);

async function factCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of FACT_TABLES) counts[table] = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(store.db)).rows[0]!.n);
  return counts;
}

async function withStore<T>(dataDir: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ kind: 'pglite', dataDir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

it('a sync killed mid-run leaves no run RUNNING: the next hub marks them ABANDONED and resumes their sources, and nothing is lost or doubled', async () => {
  // The reference: one uninterrupted sync of every source for every enterprise, in memory.
  const reference = await openStore({ kind: 'pglite', dataDir: 'memory' });
  let expected: Record<string, number>;
  let requestsPerSync: number;
  try {
    await registerDemoEnterprises(reference, world.portfolio, now(), SALT);
    const services = createServices(reference, { now, personIdSalt: SALT, upstreams: world.upstreams.configs });
    const ids = (await reference.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
    const before = requests();
    await services.ingest.syncMany(systemActor('reference sync'), ids, { concurrency: 8 });
    requestsPerSync = requests() - before;
    expected = await factCounts(reference);
    expect(expected.invoice).toBeGreaterThan(0);
  } finally {
    await reference.close();
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-sync-lease-'));
  const children: ChildProcess[] = [];
  try {
    await withStore(dataDir, (store) => registerDemoEnterprises(store, world.portfolio, now(), SALT));
    const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', HUB_URL: '', LOG_LEVEL: 'silent', PERSON_ID_SALT: SALT, SYNC_LEASE_SECONDS: '2', CLOCK_START: now().toISOString() };
    for (const [id, config] of world.upstreams.configs) {
      for (const [key, value] of Object.entries(config as Record<string, string>)) environment[environmentVariable(id, key)] = value;
    }

    const token = (await run(process.execPath, cli('token', '--role', 'DATA_ENGINEER', '--user', 'dana'), { env: environment })).stdout.trim();
    environment.HUB_TOKEN = token;

    // Half the upstream answers slowed down, so the kill lands with runs under way.
    for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0.5, kinds: ['latency'], seed: 3 });
    const start = requests();
    const killed = spawn(process.execPath, cli('sync', '--all'), { env: environment, stdio: 'ignore' });
    const exited = new Promise((resolve) => killed.once('exit', resolve));
    const deadline = monotonicMs() + 90_000;
    while (monotonicMs() < deadline && killed.exitCode === null && requests() - start < requestsPerSync / 2) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(killed.exitCode).toBeNull();
    killed.kill('SIGKILL');
    await exited;
    for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0 });

    const left = await withStore(dataDir, (store) => store.db.selectFrom('syncRun').selectAll().where('status', '=', 'RUNNING').execute());
    expect(left.length).toBeGreaterThan(0);
    for (const runLeft of left) expect(runLeft.holder).toMatch(new RegExp(`:${killed.pid}:[0-9a-f]{8}$`));

    // The lease runs out; a hub starts (the operator's `serve`), and is asked what became of the runs.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const hub = spawn(process.execPath, cli('serve'), { env: { ...environment, PORT: '0', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(hub);
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: hub.stdout! }).on('line', (line) => {
        if (/"msg":"hub listening"/.test(line)) resolve((JSON.parse(line) as { url: string }).url);
      });
      hub.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    type Runs = { running: { totalCount: number }; abandoned: { totalCount: number; edges: { node: { error: string } }[] } };
    const ask = async (): Promise<Runs> => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ running: syncRuns(filter: { status: RUNNING }) { totalCount } abandoned: syncRuns(filter: { status: ABANDONED }, first: 100) { totalCount edges { node { error } } } }' }),
      });
      return ((await response.json()) as { data: Runs }).data;
    };
    let answer = await ask();
    for (const until = monotonicMs() + 30_000; monotonicMs() < until && (answer.running.totalCount > 0 || answer.abandoned.totalCount < left.length); ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await ask();
    }
    expect([answer.running.totalCount, answer.abandoned.totalCount]).toEqual([0, left.length]);
    for (const { node } of answer.abandoned.edges) expect(node.error).toMatch(new RegExp(`^its process \\(.*:${killed.pid}:[0-9a-f]{8}\\) stopped while it ran: no heartbeat since \\d{4}-\\d{2}-\\d{2}T[\\d:]{8}Z; what it had stored is kept$`));
    hub.kill('SIGTERM');
    await new Promise((resolve) => hub.once('exit', resolve));

    // Each abandoned run's source was synced again for its enterprise, from where it had got to.
    await withStore(dataDir, async (store) => {
      for (const abandoned of left) {
        const after = await store.db.selectFrom('syncRun').select(['status']).where('source', '=', abandoned.source).where('enterpriseId', '=', abandoned.enterpriseId).where('id', '>', abandoned.id).execute();
        expect([abandoned.source, after.map((later) => later.status)]).toEqual([abandoned.source, expect.arrayContaining(['SUCCEEDED'])]);
      }
    });

    // The operator runs the killed sync again: the store holds what the uninterrupted one stored.
    await run(process.execPath, cli('sync', '--all'), { env: environment });
    await withStore(dataDir, async (store) => {
      expect(await factCounts(store)).toEqual(expected);
      expect(await store.db.selectFrom('syncRun').select('id').where('status', '=', 'RUNNING').execute()).toEqual([]);
    });
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
