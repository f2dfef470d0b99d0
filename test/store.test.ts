import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { openStore } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { openTestStore } from './support/store.js';

const run = promisify(execFile);
const canonicalTables = [
  'abnormal_operation', 'consent', 'court_case', 'enforcement', 'enterprise', 'enterprise_version', 'invoice', 'person',
  'person_consent', 'quarantined_record', 'raw_payload', 'registry_change', 'relation', 'social_insurance_month',
  'sync_checkpoint', 'sync_run', 'tax_arrears', 'tax_filing', 'tax_rating', 'utility_bill',
  'audit_event', 'application', 'application_assessment', 'loan', 'alert', 'alert_occurrence', 'monitoring_refresh', 'monitoring_sweep', 'monitoring_sweep_batch', 'limit_action', 'demo_clock', 'write_position', 'rate_limit', 'hub_user',
];

describe(`migrations (${process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('build the whole canonical model on an empty store, and a second run changes nothing', async () => {
    const testStore = await openTestStore();
    try {
      const { db } = testStore.store;
      const tables = await sql<{ tablename: string }>`
        SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(db);
      expect(tables.rows.map((row) => row.tablename)).toEqual(
        [...canonicalTables, 'schema_migration', 'schema_migration_lock'].sort(),
      );
      const again = await migrateToLatest(db as never);
      expect(again.results).toEqual([]);
    } finally {
      await testStore.dispose();
    }
  });

  it('refuse a fact without provenance and a second current version of the same fact', async () => {
    const testStore = await openTestStore();
    try {
      const { db } = testStore.store;
      await expect(sql`INSERT INTO enterprise (uscc, name, region_code, status) VALUES ('91350100M000100Y43', 'x', '350100', 'ACTIVE')`.execute(db)).rejects.toThrow(/null value/);
      const enterprise = { uscc: '91350100M000100Y43', name: 'x', regionCode: '350100', status: 'ACTIVE' as const, source: 'registry', externalId: 'x', payloadHash: 'h', observedAt: new Date('2026-11-01T00:00:00Z') };
      const { id } = await db.insertInto('enterprise').values(enterprise).returning('id').executeTakeFirstOrThrow();
      const rating = { enterpriseId: id, year: 2025, grade: 'A' as const, publishedOn: '2026-04-15', source: 'tax', externalId: 'r', payloadHash: 'h', observedAt: new Date('2026-11-01T00:00:00Z') };
      await db.insertInto('taxRating').values(rating).execute();
      await expect(db.insertInto('taxRating').values({ ...rating, grade: 'B' }).execute()).rejects.toThrow(/current_version/);
    } finally {
      await testStore.dispose();
    }
  });
});

describe('the PGlite data folder', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'creditgraph-lock-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const migrateInAnotherProcess = () =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });

  it('serves one process: a second one is refused with a clear message, then admitted once the first closes', async () => {
    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      await expect(migrateInAnotherProcess()).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/data folder .* is in use by process \d+@.*PGlite serves one process/),
      });
      expect((await store.db.selectFrom('enterprise').select('id').execute()).length).toBe(0);
    } finally {
      await store.close();
    }
    const { stdout } = await migrateInAnotherProcess();
    expect(stdout).toContain('the store is up to date');
  });

  it('takes over a lock left by a process that no longer runs, or by one whose pid another process now has', async () => {
    const host = (await import('node:os')).hostname();
    for (const stale of [`999999999@${host}`, `${process.pid}@${host}#1`]) {
      writeFileSync(join(dataDir, 'creditgraph.lock'), stale);
      const store = await openStore({ kind: 'pglite', dataDir });
      expect(readFileSync(join(dataDir, 'creditgraph.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid}@`));
      await store.close();
      expect(existsSync(join(dataDir, 'creditgraph.lock'))).toBe(false);
    }
  });

  it('is held by one process however many start at the same instant, and by none once it was killed', async () => {
    const contenders = 3;
    for (let round = 0; round < 8; round++) {
      const startAt = performance.timeOrigin + performance.now() + 1500;
      const outcomes = await Promise.all(
        Array.from({ length: contenders }, () => run(process.execPath, ['--import', 'tsx', 'test/support/lock-holder.ts', dataDir, String(startAt), '500']).then(({ stdout }) => stdout.trim())),
      );
      expect([round, outcomes.sort()]).toEqual([round, ['held', ...Array(contenders - 1).fill('refused')]]);
    }
    // A holder killed with SIGKILL leaves its file, but not the lock: the next process takes it.
    const killed = spawn(process.execPath, ['--import', 'tsx', 'test/support/lock-holder.ts', dataDir, '0', '60000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => killed.stdout.once('data', () => resolve()));
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(existsSync(join(dataDir, 'creditgraph.lock'))).toBe(true);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/lock-holder.ts', dataDir, '0', '0']);
    expect(stdout.trim()).toBe('held');
  });
});
