import { sql } from 'kysely';
import { taxSandbox } from '../connectors/tax/sandbox/server.js';
import type { SandboxHandle } from '../connectors/kit/sandbox.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/demo/portfolio.js';
import type { Portfolio } from '../src/demo/types.js';
import { connectors } from '../src/ingest/registry.js';
import type { Store } from '../src/store/database.js';
import { openTestStore, type TestStore } from './support/store.js';
import { FAST_RELIABILITY } from './support/reliability.js';
import { testClock } from './support/clock.js';

/**
 * The ingest API as a frontend or an operator uses it: a sync requested over GraphQL from the
 * tax bureau's sandbox, then connectors, runs, quarantine and inventory read back.
 */
const CLOCK = '2026-11-01';
/** The hub's today: the portfolio's date. */
const now = testClock(CLOCK);
let testStore: TestStore;
let store: Store;
let portfolio: Portfolio;
let sandbox: SandboxHandle;
let enterpriseIds: string[];

beforeAll(async () => {
  testStore = await openTestStore();
  store = testStore.store;
  portfolio = generatePortfolio({ seed: 11, enterprises: 6, clock: CLOCK });
  await loadPortfolio(store, portfolio, { personIdSalt: 'ingest-test-salt-0001' });
  sandbox = await taxSandbox.start({ portfolio });
  enterpriseIds = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await testStore?.dispose();
});

/** Starts each test from the registry facts alone: no tax facts, no runs, no checkpoints. */
beforeEach(async () => {
  await sql`TRUNCATE tax_filing, tax_rating, tax_arrears, sync_checkpoint, quarantined_record, raw_payload, consent`.execute(store.db);
  await sql`DELETE FROM sync_run WHERE enterprise_id IS NOT NULL`.execute(store.db);
  sandbox.setFaults({ rate: 0 });
});

async function grantTaxConsent(ids = enterpriseIds) {
  for (const enterpriseId of ids) {
    await store.db
      .insertInto('consent')
      .values({ enterpriseId, scopes: ['tax'], purpose: '贷前调查', evidenceRef: 'test', grantedBy: 'test', grantedAt: now(), expiresAt: new Date(now().getTime() + 86_400_000) })
      .execute();
  }
}

describe('ingest over GraphQL', () => {
  it('syncs on request and reports connectors, runs, quarantine and inventory', async () => {
    const { startTestHub } = await import('./support/hub.js');
    const { createServices } = await import('../src/graphql/context.js');
    const services = createServices(store, { now, personIdSalt: 'ingest-test-salt-0001', upstreams: new Map([['tax', taxSandbox.config(sandbox.url)]]), reliability: FAST_RELIABILITY });
    const hub = await startTestHub(store, 'test', services);
    try {
      await grantTaxConsent();
      sandbox.setFaults({ rate: 0.5, kinds: ['drift'], seed: 9 });
      const { toGlobalId } = await import('../src/graphql/ids.js');
      const sync = await hub.query<{ syncEnterprise: { connector: string; status: string; fetched: number; stored: number; duplicates: number; quarantined: number; enterprise: { uscc: string } }[] }>(
        'mutation($id: ID!) { syncEnterprise(id: $id, sources: ["tax"]) { id connector status startedAt finishedAt fetched stored duplicates quarantined error enterprise { uscc } } }',
        { id: toGlobalId('Enterprise', enterpriseIds[0]!) },
      );
      expect(sync.errors).toBeUndefined();
      const [run] = sync.data!.syncEnterprise;
      expect(run).toMatchObject({ connector: 'tax', enterprise: { uscc: portfolio.enterprises[0]!.uscc } });
      expect(run!.fetched).toBe(run!.stored + run!.duplicates + run!.quarantined);

      const overview = await hub.query<{
        connectors: { id: string; configured: boolean; circuitState: string; lastRun: { status: string } }[];
        syncRuns: { totalCount: number; edges: { node: { status: string } }[] };
        quarantinedRecords: { totalCount: number; edges: { node: { source: string; errors: string[]; payload: unknown; syncRun: { id: string } } }[] };
        dataInventory: { source: string; entity: string; records: number }[];
      }>(`query($enterprise: ID!) {
        connectors { id version displayName entities consentScope configured circuitState rateLimit { requestsPerSecond concurrency } lastRun { status } }
        syncRuns(first: 5, filter: { connector: "tax", enterpriseId: $enterprise }) { totalCount edges { node { status } } }
        quarantinedRecords(first: 100) { totalCount edges { node { source externalId errors payload quarantinedAt syncRun { id } enterprise { uscc } } } }
        dataInventory { source entity records lastObservedAt }
      }`, { enterprise: toGlobalId('Enterprise', enterpriseIds[0]!) });
      expect(overview.errors).toBeUndefined();
      // Every registered source is listed; only the tax bureau is configured on this hub.
      expect(overview.data!.connectors.map((c) => c.id)).toEqual(connectors.map((c) => c.manifest.id));
      for (const connector of overview.data!.connectors) {
        if (connector.id === 'tax') expect(connector).toMatchObject({ configured: true, circuitState: 'CLOSED', lastRun: { status: run!.status } });
        else expect(connector).toMatchObject({ configured: false, circuitState: null });
      }
      expect(overview.data!.syncRuns).toEqual({ totalCount: 1, edges: [{ node: { status: run!.status } }] });
      expect(overview.data!.quarantinedRecords.totalCount).toBe(run!.quarantined);
      for (const { node } of overview.data!.quarantinedRecords.edges) {
        expect(node).toMatchObject({ source: 'tax', errors: [expect.any(String)], payload: expect.any(Object) });
      }
      const taxRows = overview.data!.dataInventory.filter((row) => row.source === 'tax');
      expect(taxRows.map((row) => row.entity).sort()).toEqual(expect.arrayContaining(['taxFiling', 'taxRating']));
    } finally {
      await hub.stop();
    }
  });
});
