import { sql } from 'kysely';
import { taxConnector } from '../connectors/tax/index.js';
import { startTaxSandbox } from '../connectors/tax/sandbox/server.js';
import { stableStringify } from '../src/common/payload-hash.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio } from '../src/demo/portfolio.js';
import type { Portfolio } from '../src/demo/types.js';
import { IngestEngine } from '../src/ingest/engine.js';
import { bindConnector, type ReliabilityOptions } from '../src/ingest/registry.js';
import type { Store } from '../src/store/database.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * The tax connector end to end: the engine syncing from the tax bureau's sandbox over real
 * HTTP into the store, with and without the upstream misbehaving.
 */
const CLOCK = '2026-11-01';
const credentials = { clientId: 'creditgraph-test', clientSecret: 'sandbox-secret-0001' };
const reliability: ReliabilityOptions = {
  timeoutMs: 1000,
  maxResponseBytes: 5 * 1024 * 1024,
  retries: 8,
  backoff: { initialMs: 20, maxMs: 300 },
  breaker: { failures: 100, halfOpenAfterMs: 500 },
};

let testStore: TestStore;
let store: Store;
let portfolio: Portfolio;
let sandbox: Awaited<ReturnType<typeof startTaxSandbox>>;
let enterpriseIds: string[];

beforeAll(async () => {
  testStore = await openTestStore();
  store = testStore.store;
  portfolio = generatePortfolio({ seed: 11, enterprises: 6, clock: CLOCK });
  await loadPortfolio(store, portfolio, { personIdSalt: 'ingest-test-salt-0001' });
  sandbox = await startTaxSandbox({ portfolio, ...credentials, port: 0 });
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
      .values({ enterpriseId, scopes: ['tax'], purpose: '贷前调查', evidenceRef: 'test', grantedBy: 'test', expiresAt: new Date(Date.now() + 86_400_000) })
      .execute();
  }
}

async function syncAll() {
  const engine = new IngestEngine(store);
  const bound = bindConnector(taxConnector, { baseUrl: sandbox.url, ...credentials }, reliability);
  const runs = [];
  for (const id of enterpriseIds) runs.push(await engine.syncEnterprise(id, bound));
  return runs;
}

/** The current tax facts in the store, by entity and external id. */
async function storedFacts() {
  const facts = new Map<string, string>();
  const filings = await store.db.selectFrom('taxFiling').selectAll().where('supersededAt', 'is', null).execute();
  for (const f of filings) {
    facts.set(`taxFiling|${f.externalId}`, stableStringify([f.formCode, f.taxType, f.periodStart, f.periodEnd, f.declaredRevenueFen, f.taxPayableFen, f.taxPaidFen, f.lateFeeFen, f.filedOn, f.late, f.zeroFiling]));
  }
  for (const r of await store.db.selectFrom('taxRating').selectAll().where('supersededAt', 'is', null).execute()) {
    facts.set(`taxRating|${r.externalId}`, stableStringify([r.year, r.grade, r.publishedOn]));
  }
  for (const a of await store.db.selectFrom('taxArrears').selectAll().where('supersededAt', 'is', null).execute()) {
    facts.set(`taxArrears|${a.externalId}`, stableStringify([a.authority, a.amountFen, a.since, a.status, a.settledOn]));
  }
  return facts;
}

/** What the upstream holds as of its clock: the last version of each fact. */
function upstreamFacts() {
  const facts = new Map<string, string>();
  for (const enterprise of portfolio.enterprises) {
    for (const f of enterprise.taxFilings) {
      facts.set(`taxFiling|${f.externalId}`, stableStringify([f.formCode, f.taxType, f.periodStart, f.periodEnd, f.declaredRevenueFen, f.taxPayableFen, f.taxPaidFen, f.lateFeeFen, f.filedOn, f.late, f.zeroFiling]));
    }
    for (const r of enterprise.taxRatings) facts.set(`taxRating|${r.externalId}`, stableStringify([r.year, r.grade, r.publishedOn]));
    for (const a of enterprise.taxArrears) facts.set(`taxArrears|${a.externalId}`, stableStringify([a.authority, a.amountFen, a.since, a.status, a.settledOn]));
  }
  return facts;
}

function expectReconciled(runs: { fetched: number; stored: number; duplicates: number; quarantined: number }[]) {
  for (const run of runs) expect(run.fetched).toBe(run.stored + run.duplicates + run.quarantined);
}

describe('the tax connector through the engine', () => {
  it('copies the upstream exactly, and a re-run changes nothing', async () => {
    await grantTaxConsent();
    const runs = await syncAll();
    expect(runs.map((run) => run.status)).toEqual(enterpriseIds.map(() => 'SUCCEEDED'));
    expectReconciled(runs);
    const expected = upstreamFacts();
    expect(await storedFacts()).toEqual(expected);
    expect(runs.reduce((sum, run) => sum + run.stored, 0)).toBe(expected.size);

    const rows = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM tax_filing`.execute(store.db)).rows[0]!.n);
    const before = await rows();
    const again = await syncAll();
    expectReconciled(again);
    expect(again.every((run) => run.status === 'SUCCEEDED' && run.stored === 0)).toBe(true);
    expect(await rows()).toBe(before);
    expect(await storedFacts()).toEqual(expected);
  });

  it('refuses without consent, and no request reaches the upstream', async () => {
    await grantTaxConsent(enterpriseIds.slice(1));
    await store.db
      .insertInto('consent')
      .values({ enterpriseId: enterpriseIds[0]!, scopes: ['invoice'], purpose: 'p', evidenceRef: 'e', grantedBy: 't', expiresAt: new Date(Date.now() + 86_400_000) })
      .execute();
    const requestsBefore = sandbox.stats().requests;
    const engine = new IngestEngine(store);
    const bound = bindConnector(taxConnector, { baseUrl: sandbox.url, ...credentials }, reliability);
    const run = await engine.syncEnterprise(enterpriseIds[0]!, bound);
    expect(run).toMatchObject({ status: 'REFUSED', fetched: 0, error: expect.stringContaining("no valid consent covers scope 'tax'") });
    expect(sandbox.stats().requests).toBe(requestsBefore);
    expect((await storedFacts()).size).toBe(0);
  });

  it.each(['latency', 'http500', 'http429', 'timeout', 'truncated', 'malformed', 'duplicates'] as const)(
    'completes with the same facts when the upstream answers with %s',
    async (kind) => {
      await grantTaxConsent();
      sandbox.setFaults({ rate: 0.3, kinds: [kind], seed: 5 });
      const runs = await syncAll();
      expectReconciled(runs);
      expect(runs.map((run) => run.status)).toEqual(enterpriseIds.map(() => 'SUCCEEDED'));
      expect(await storedFacts()).toEqual(upstreamFacts());
      expect(sandbox.stats().faults[kind] ?? 0).toBeGreaterThan(0);
    },
    60_000,
  );

  it('quarantines records that drifted from the schema with their reasons, and stores the rest', async () => {
    await grantTaxConsent();
    sandbox.setFaults({ rate: 0.5, kinds: ['drift'], seed: 9 });
    const runs = await syncAll();
    expectReconciled(runs);
    const quarantined = await store.db.selectFrom('quarantinedRecord').selectAll().execute();
    expect(runs.reduce((sum, run) => sum + run.quarantined, 0)).toBe(quarantined.length);
    expect(quarantined.length).toBeGreaterThan(0);
    for (const record of quarantined) {
      expect(record.source).toBe('tax');
      expect(record.payload).toBeTruthy();
      expect((record.errors as string[]).length).toBeGreaterThan(0);
    }
    expect(runs.some((run) => run.status === 'PARTIAL')).toBe(true);
    // Everything not quarantined is exactly as upstream; the quarantined facts are simply absent.
    const stored = await storedFacts();
    const expected = upstreamFacts();
    for (const [key, value] of stored) expect(value).toBe(expected.get(key));
    const missing = [...expected.keys()].filter((key) => !stored.has(key));
    const quarantinedIds = new Set(quarantined.map((record) => record.externalId));
    for (const key of missing) expect(quarantinedIds.has(key.split('|')[1]!)).toBe(true);
  });
});

describe('ingest over GraphQL', () => {
  it('syncs on request and reports connectors, runs, quarantine and inventory', async () => {
    const { startTestHub } = await import('./support/hub.js');
    const { IngestService } = await import('../src/ingest/service.js');
    const { connectors } = await import('../src/ingest/registry.js');
    const bound = bindConnector(taxConnector, { baseUrl: sandbox.url, ...credentials }, reliability);
    const hub = await startTestHub(store, 'test', { store, ingest: new IngestService(store, connectors, new Map([['tax', bound]])) });
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
      expect(overview.data!.connectors).toEqual([
        expect.objectContaining({ id: 'tax', configured: true, circuitState: 'CLOSED', lastRun: { status: run!.status } }),
      ]);
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
