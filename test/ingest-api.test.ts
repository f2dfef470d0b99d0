import { sql } from 'kysely';
import { taxSandbox } from '../connectors/tax/sandbox/server.js';
import type { SandboxHandle } from '../connectors/kit/sandbox.js';
import { loadPortfolio } from '../src/demo/load.js';
import { generatePortfolio, type Portfolio } from '../src/world/index.js';
import { connectors } from '../src/ingest/registry.js';
import type { Store } from '../src/store/database.js';
import { openTestStore, type TestStore } from './support/store.js';
import { FAST_RELIABILITY } from '../connectors/kit/reliability.js';
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
      .values({ enterpriseId, scopes: ['tax'], purpose: 'PRE_LOAN_ASSESSMENT', evidenceRef: 'test', grantedBy: 'test', grantedAt: now(), expiresAt: new Date(now().getTime() + 86_400_000) })
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
        quarantinedRecords(first: 100) { totalCount edges { node { source stream externalId errors payload quarantinedAt syncRun { id } enterprise { uscc } } } }
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
        expect(node).toMatchObject({ source: 'tax', stream: expect.stringMatching(/^(returns|credit-ratings|arrears)$/), errors: [expect.any(String)], payload: expect.any(Object) });
      }
      const taxRows = overview.data!.dataInventory.filter((row) => row.source === 'tax');
      expect(taxRows.map((row) => row.entity).sort()).toEqual(expect.arrayContaining(['taxFiling', 'taxRating']));
    } finally {
      await hub.stop();
    }
  });
});

describe('a consent withdrawn while its pull is under way', () => {
  it('stops the pull before its next request, keeps what came before, says why, and audits the withdrawal', async () => {
    const { startTestHub } = await import('./support/hub.js');
    const { createServices } = await import('../src/graphql/context.js');
    const { toGlobalId } = await import('../src/graphql/ids.js');
    const services = createServices(store, { now, personIdSalt: 'ingest-test-salt-0001', upstreams: new Map([['tax', taxSandbox.config(sandbox.url)]]), reliability: FAST_RELIABILITY });
    const hub = await startTestHub(store, 'test', services);
    const officer = hub.as('officer', 'ANALYST');
    try {
      const id = toGlobalId('Enterprise', enterpriseIds[1]!);
      const grant = async () =>
        (await officer.query<{ grantConsent: { id: string } }>('mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }', {
          input: { enterpriseId: id, scopes: ['tax'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: new Date(now().getTime() + 30 * 86_400_000).toISOString(), evidenceRef: 'consents/tax.pdf' },
        })).data!.grantConsent.id;
      const sync = async () =>
        (await officer.query<{ syncEnterprise: { status: string; fetched: number; stored: number; error: string | null }[] }>('mutation($id: ID!) { syncEnterprise(id: $id, sources: ["tax"]) { status fetched stored error } }', { id })).data!.syncEnterprise[0]!;
      // Every answer of the upstream takes 0.2–0.8 s, so the run is under way long enough to be caught.
      sandbox.setFaults({ rate: 1, kinds: ['latency'], seed: 3 });

      // A whole run, for how many requests one takes.
      await grant();
      let requests = sandbox.stats().requests;
      expect((await sync()).status).toBe('SUCCEEDED');
      const whole = sandbox.stats().requests - requests;
      expect(whole).toBeGreaterThanOrEqual(3);
      await sql`TRUNCATE tax_filing, tax_rating, tax_arrears, sync_checkpoint, raw_payload`.execute(store.db);
      await sql`DELETE FROM consent`.execute(store.db);

      const consent = await grant();
      requests = sandbox.stats().requests;
      const running = sync();
      while (sandbox.stats().requests === requests) await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await officer.query('mutation($id: ID!) { revokeConsent(id: $id) { status } }', { id: consent })).errors).toBeUndefined();
      const atWithdrawal = sandbox.stats().requests;
      const run = await running;
      expect(run).toMatchObject({ status: 'FAILED', error: expect.stringContaining('consent withdrawn') });
      expect(run.fetched).toBe(run.stored);
      // The request in flight, at most, and none after.
      expect(sandbox.stats().requests - atWithdrawal).toBeLessThanOrEqual(1);
      expect(sandbox.stats().requests - requests).toBeLessThan(whole);
      const audit = await store.db.selectFrom('auditEvent').select(['action', 'actor']).where('action', '=', 'REVOKE_CONSENT').execute();
      expect(audit).toEqual([{ action: 'REVOKE_CONSENT', actor: 'officer' }]);
      // And the next pull is refused.
      expect(await sync()).toMatchObject({ status: 'REFUSED', fetched: 0 });
    } finally {
      sandbox.setFaults({ rate: 0 });
      await hub.stop();
    }
  });
});

describe("a source that brings a person's own data", () => {
  it("is pulled only with the legal representative's own authorization, and not once it is revoked", async () => {
    const { startTestHub } = await import('./support/hub.js');
    const { createServices } = await import('../src/graphql/context.js');
    const { toGlobalId } = await import('../src/graphql/ids.js');
    const { courtSandbox } = await import('../connectors/court/sandbox/server.js');
    const court = await courtSandbox.start({ portfolio });
    const services = createServices(store, { now, personIdSalt: 'ingest-test-salt-0001', upstreams: new Map([['court', courtSandbox.config(court.url)]]), reliability: FAST_RELIABILITY });
    const hub = await startTestHub(store, 'test', services);
    const officer = hub.as('officer', 'ANALYST');
    try {
      const [bundle] = portfolio.enterprises;
      const id = toGlobalId('Enterprise', enterpriseIds[0]!);
      const expiresAt = new Date(now().getTime() + 30 * 86_400_000).toISOString();
      const consent = { scopes: ['court'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt, evidenceRef: 'consents/court.pdf' };
      expect((await officer.query('mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }', { input: { enterpriseId: id, ...consent } })).errors).toBeUndefined();
      const sync = async () => {
        const answer = await officer.query<{ syncEnterprise: { status: string; fetched: number; error: string | null }[] }>('mutation($id: ID!) { syncEnterprise(id: $id, sources: ["court"]) { status fetched error } }', { id });
        return answer.data!.syncEnterprise[0]!;
      };
      const requests = court.stats().requests;
      expect(await sync()).toEqual({ status: 'REFUSED', fetched: 0, error: "no valid authorization of the enterprise's legal representative covers scope 'court', and their own data is in this source's answers: nothing was fetched" });
      expect(court.stats().requests).toBe(requests);

      // The legal representative signs, with the ID number the registry knows them by.
      const representativeKey = bundle!.relations.find((relation) => relation.type === 'LEGAL_REPRESENTATIVE' && relation.validTo === null && relation.from.kind === 'PERSON')!.from as { personKey: string };
      const person = portfolio.persons.find((candidate) => candidate.key === representativeKey.personKey)!;
      const granted = await officer.query<{ grantPersonConsent: { id: string } }>('mutation($input: GrantPersonConsentInput!) { grantPersonConsent(input: $input) { id } }', {
        input: { enterpriseId: id, role: 'LEGAL_REPRESENTATIVE', name: person.name, idNumber: person.idNumber, ...consent },
      });
      expect(granted.errors).toBeUndefined();
      expect((await sync()).status).toBe('SUCCEEDED');

      // Revoked: the next pull is refused at once.
      expect((await officer.query('mutation($id: ID!) { revokePersonConsent(id: $id) { status } }', { id: granted.data!.grantPersonConsent.id })).errors).toBeUndefined();
      expect(await sync()).toMatchObject({ status: 'REFUSED', fetched: 0 });

      // An enterprise whose legal representative the hub does not know yet: refused, saying why.
      const { GraphBuilder } = await import('./support/fixtures.js');
      const stranger = await new GraphBuilder(store.db).enterprise(90);
      const strangerId = toGlobalId('Enterprise', stranger.id);
      await officer.query('mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }', { input: { enterpriseId: strangerId, ...consent } });
      const unknown = await officer.query<{ syncEnterprise: { status: string; error: string }[] }>('mutation($id: ID!) { syncEnterprise(id: $id, sources: ["court"]) { status error } }', { id: strangerId });
      expect(unknown.data!.syncEnterprise[0]).toEqual({ status: 'REFUSED', error: expect.stringContaining("the enterprise's legal representative is not known yet") });
    } finally {
      await hub.stop();
      await court.close();
    }
  });
});
