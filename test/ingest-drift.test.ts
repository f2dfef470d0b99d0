import { systemActor } from '../src/audit/audit.js';
import { registerDemoEnterprises } from '../src/demo/fill.js';
import { createServices } from '../src/graphql/context.js';
import { openStore, type Store } from '../src/store/database.js';
import { testClock } from './support/clock.js';
import { FACT_TABLES, currentFacts } from './support/facts.js';
import { TEST_CLOCK, demoUpstreamsForFile } from './support/demo.js';

/**
 * Nothing lost to drift: records an upstream sends in a shape the connector refuses are
 * quarantined, and the source's cursor stays before them, so the next sync, once the upstream
 * answers well, reads them again and lands them. After a sync under drift and one after it, the
 * store holds every fact an undisturbed sync stores. Real sandboxes on loopback, every source.
 */
const SALT = 'ingest-drift-salt-000001';
const now = testClock(TEST_CLOCK);

const world = demoUpstreamsForFile({ seed: 21, enterprises: 16 });

async function syncAll(store: Store): Promise<void> {
  const services = createServices(store, { now, personIdSalt: SALT, upstreams: world.upstreams.configs });
  const ids = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
  await services.ingest.syncMany(systemActor('sync'), ids, { concurrency: 4 });
}

it('lands on the next sync every record quarantined for drift, so no fact is missing once the upstream answers well', async () => {
  const reference = await openStore({ kind: 'pglite', dataDir: 'memory' });
  const drifted = await openStore({ kind: 'pglite', dataDir: 'memory' });
  try {
    await registerDemoEnterprises(reference, world.portfolio, now(), SALT);
    await syncAll(reference);
    const expected = await currentFacts(reference);
    expect(expected.invoice!.length).toBeGreaterThan(0);

    await registerDemoEnterprises(drifted, world.portfolio, now(), SALT);
    for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0.4, kinds: ['drift'], seed: 5 });
    try {
      await syncAll(drifted);
    } finally {
      for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0 });
    }
    const quarantined = await drifted.db.selectFrom('quarantinedRecord').select(['source']).execute();
    expect(new Set(quarantined.map((row) => row.source)).size).toBeGreaterThan(2);
    const missing = (found: Record<string, string[]>) => Object.fromEntries(FACT_TABLES.map((table) => [table, expected[table]!.filter((key) => !found[table]!.includes(key)).length]));
    // Drift kept facts out, in the incremental sources too.
    expect(Object.values(missing(await currentFacts(drifted))).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);

    await syncAll(drifted);
    expect(missing(await currentFacts(drifted))).toEqual(Object.fromEntries(FACT_TABLES.map((table) => [table, 0])));
    expect(await currentFacts(drifted)).toEqual(expected);
    // And the quarantine says so: nothing is left open, each record resolved by the run that landed it.
    const rows = await drifted.db
      .selectFrom('quarantinedRecord')
      .leftJoin('syncRun', 'syncRun.id', 'quarantinedRecord.resolvedBySyncRunId')
      .select(['quarantinedRecord.source', 'resolution', 'syncRun.kind', 'syncRun.source as runSource'])
      .execute();
    expect(rows.length).toBe(quarantined.length);
    expect(rows.filter((row) => row.resolution !== 'LANDED' || row.kind !== 'SYNC' || row.runSource !== row.source)).toEqual([]);
  } finally {
    await reference.close();
    await drifted.close();
  }
}, 240_000);
