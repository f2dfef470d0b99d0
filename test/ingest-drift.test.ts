import { sql } from 'kysely';
import { systemActor } from '../src/audit/audit.js';
import { registerDemoEnterprises } from '../src/demo/fill.js';
import { createServices } from '../src/graphql/context.js';
import { openStore, type Store } from '../src/store/database.js';
import { testClock } from './support/clock.js';
import { TEST_CLOCK, demoUpstreamsForFile } from './support/demo.js';

/**
 * Nothing lost to drift: records an upstream sends in a shape the connector refuses are
 * quarantined, and the source's cursor stays before them, so the next sync, once the upstream
 * answers well, reads them again and lands them. After a sync under drift and one after it, the
 * store holds every fact an undisturbed sync stores. Real sandboxes on loopback, every source.
 */
const SALT = 'ingest-drift-salt-000001';
const now = testClock(TEST_CLOCK);
/** The facts a sync lands (raw payloads and quarantine keep the drifted answers too, so they differ). */
const FACT_TABLES = ['person', 'relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month'];

const world = demoUpstreamsForFile({ seed: 21, enterprises: 16 });

/** Each fact table's current versions, as `source externalId` (persons by the hash of their ID number). */
async function facts(store: Store): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const table of FACT_TABLES) {
    const query = table === 'person' ? sql`SELECT id_hash AS key FROM person` : sql`SELECT source || ' ' || external_id AS key FROM ${sql.table(table)} WHERE superseded_at IS NULL`;
    const rows = await sql<{ key: string }>`${query} ORDER BY 1`.execute(store.db);
    found[table] = rows.rows.map((row) => row.key);
  }
  return found;
}

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
    const expected = await facts(reference);
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
    expect(Object.values(missing(await facts(drifted))).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);

    await syncAll(drifted);
    expect(missing(await facts(drifted))).toEqual(Object.fromEntries(FACT_TABLES.map((table) => [table, 0])));
    expect(await facts(drifted)).toEqual(expected);
  } finally {
    await reference.close();
    await drifted.close();
  }
}, 240_000);
