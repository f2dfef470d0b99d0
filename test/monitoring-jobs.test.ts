import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { systemActor } from '../src/audit/audit.js';
import { grantDemoConsents } from '../src/demo/fill.js';
import { loadPortfolio } from '../src/demo/load.js';
import { createServices } from '../src/graphql/context.js';
import { environmentVariable } from '../src/ingest/connector-config.js';
import { openStore, type Store } from '../src/store/database.js';
import { TEST_CLOCK, demoUpstreamsForFile } from './support/demo.js';
import { bookLoans } from './support/loans.js';
import { testClock } from './support/clock.js';
import { monotonicMs } from '../src/common/clock.js';

/**
 * The monitoring sweep as jobs of the queue, run by the CLI an operator types: a sweep killed
 * mid-run (SIGKILL) and run again raises each alert once — the very alerts an uninterrupted
 * sweep raises — and the batches the killed process left behind are finished by a later worker.
 * Real sandboxes on loopback, a real store on disk, the real CLI.
 */
const SALT = 'monitoring-jobs-salt-0001';
const BATCH = 4;
const run = promisify(execFile);
const world = demoUpstreamsForFile({ seed: 11, enterprises: 30 });
/** The hub's today, the CLI's too: the portfolio's date. */
const now = testClock(TEST_CLOCK);

/** The portfolio in the store, consents for every source, and loans to two enterprises in three. */
async function prepare(store: Store): Promise<void> {
  await loadPortfolio(store, world.portfolio, { personIdSalt: SALT });
  const enterprises = await store.db.selectFrom('enterprise').select(['id', 'uscc']).where('source', '=', 'registry').orderBy('id').execute();
  await grantDemoConsents(store.db, world.portfolio, enterprises, { now: now(), personIdSalt: SALT });
  await bookLoans(store.db, enterprises.map((row) => row.id).filter((_, i) => i % 3 !== 2), { now: now() });
}

async function alertsOf(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('alert').innerJoin('enterprise', 'enterprise.id', 'alert.enterpriseId').select(['enterprise.uscc', 'alert.signalKey']).execute();
  return rows.map((row) => `${row.uscc} ${row.signalKey}`).sort();
}

const requests = () => [...world.upstreams.sandboxes.values()].reduce((sum, sandbox) => sum + sandbox.stats().requests, 0);

it('a sweep killed mid-run and run again raises each alert once, as an uninterrupted sweep does', async () => {
  // The reference: one uninterrupted sweep over the same book, in memory.
  const reference = await openStore({ kind: 'pglite', dataDir: 'memory' });
  let expected: string[];
  let requestsPerSweep: number;
  try {
    await prepare(reference);
    const services = createServices(reference, { now, personIdSalt: SALT, upstreams: world.upstreams.configs, monitoring: { batchSize: BATCH } });
    await services.jobs.start({ work: true });
    const before = requests();
    const summary = await services.monitoring.refresh(systemActor('reference sweep'));
    requestsPerSweep = requests() - before;
    await services.jobs.stop();
    expected = await alertsOf(reference);
    expect(summary).toMatchObject({ enterprises: 20, failedPulls: 0, raised: expected.length });
    expect(expected.length).toBeGreaterThan(0);
  } finally {
    await reference.close();
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-monitoring-jobs-'));
  try {
    const prepared = await openStore({ kind: 'pglite', dataDir });
    await prepare(prepared);
    await prepared.close();
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      HUB_URL: '',
      LOG_LEVEL: 'silent',
      PERSON_ID_SALT: SALT,
      MONITORING_BATCH_SIZE: String(BATCH),
      MONITORING_LEASE_SECONDS: '10',
      JOBS_MAINTENANCE_SECONDS: '1',
      CLOCK_START: now().toISOString(),
    };
    for (const [id, config] of world.upstreams.configs) {
      for (const [key, value] of Object.entries(config as Record<string, string>)) environment[environmentVariable(id, key)] = value;
    }
    const cli = (...args: string[]) => ['--import', 'tsx', 'src/cli/main.ts', ...args];
    environment.HUB_TOKEN = (await run(process.execPath, cli('token', '--role', 'RISK_MANAGER', '--user', 'rita'), { env: environment })).stdout.trim();

    // Half the upstream answers slowed down, so the kill lands with half the sweep's pulls done.
    for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0.5, kinds: ['latency'], seed: 1 });
    const start = requests();
    const child = spawn(process.execPath, cli('refresh'), { env: environment, stdio: 'ignore' });
    const deadline = monotonicMs() + 90_000;
    while (monotonicMs() < deadline && requests() - start < requestsPerSweep / 2) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0 });

    let killedSweep: string;
    {
      const store = await openStore({ kind: 'pglite', dataDir });
      try {
        const sweeps = await store.db.selectFrom('monitoringSweep').selectAll().execute();
        expect(sweeps).toHaveLength(1);
        killedSweep = sweeps[0]!.id;
        const done = await store.db.selectFrom('monitoringSweepBatch').select('batch').where('sweepId', '=', killedSweep).execute();
        expect(done.length).toBeGreaterThan(0);
        expect(done.length).toBeLessThan(sweeps[0]!.batches);
      } finally {
        await store.close();
      }
    }

    const { stdout } = await run(process.execPath, cli('refresh'), { env: environment });
    expect(stdout).toMatch(/^sweep [0-9a-f-]{36}: 20 enterprises with a live loan in [\d.]+ s; \d+ signals, \d+ new alerts\n/);

    // A later worker (here, in process) takes the killed sweep's batches over once their leases
    // run out; they find their alerts raised already and raise none again.
    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      const services = createServices(store, { now, personIdSalt: SALT, upstreams: world.upstreams.configs, jobs: { maintenanceIntervalSeconds: 1 }, monitoring: { batchSize: BATCH, leaseSeconds: 10 } });
      await services.jobs.start({ work: true });
      const until = monotonicMs() + 60_000;
      while (!(await services.monitoring.sweep(killedSweep))?.finishedAt && monotonicMs() < until) await new Promise((resolve) => setTimeout(resolve, 200));
      await services.jobs.stop();
      expect((await services.monitoring.sweep(killedSweep))?.finishedAt).toBeInstanceOf(Date);

      expect(await alertsOf(store)).toEqual(expected);
      const audited = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_event WHERE action = 'RAISE_ALERT'`.execute(store.db);
      expect(Number(audited.rows[0]!.n)).toBe(expected.length);
      const refreshed = await store.db.selectFrom('monitoringRefresh').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      expect(Number(refreshed.n)).toBe(20);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
