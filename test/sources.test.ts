import fc from 'fast-check';
import { sql } from 'kysely';
import { sources } from '../connectors/index.js';
import type { ConnectorContract } from '../connectors/kit/contract.js';
import { garbage } from '../connectors/kit/contract-suite.js';
import { FAST_RELIABILITY } from '../connectors/kit/reliability.js';
import { stableStringify } from '../src/common/payload-hash.js';
import { registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { IngestEngine } from '../src/ingest/engine.js';
import { bindConnector, type CanonicalEntity, type CanonicalRecord, type PersonRef } from '../src/ingest/sdk.js';
import { hashPersonId } from '../src/profile/person.js';
import { snakeCase } from '../src/store/bulk.js';
import type { Store } from '../src/store/database.js';
import { generatePortfolio } from '../src/world/index.js';
import { testClock } from './support/clock.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * Every source through the hub: what the connectors' contract suite cannot see without a
 * database. A sync stores exactly what each upstream holds, column for column; raw payloads
 * are kept verifiable and without an ID number in clear; a re-run changes nothing; garbage
 * from any source is stored, a duplicate or quarantined with its reasons, never fatal; and no
 * request leaves without consent for the source's scope.
 */
const SALT = 'sources-test-salt-0001';
// Judicial records are rare: this world has cases and enforcements (against a legal representative too).
const portfolio = generatePortfolio({ seed: 52, enterprises: 8, clock: '2026-11-01' });
const now = testClock();

/** Each source's contract, found by convention in its folder (`connectors/<id>/contract.ts`). */
async function contractOf(id: string): Promise<ConnectorContract> {
  const module = (await import(`../connectors/${id}/contract.js`)) as Record<string, unknown>;
  const contract = Object.values(module).find((value): value is ConnectorContract => typeof (value as ConnectorContract | undefined)?.expected === 'function');
  if (!contract) throw new Error(`connectors/${id}/contract.ts exports no contract`);
  return contract;
}

const comparable = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/** A canonical record's fields, links as the person's ID hash or the enterprise's USCC: what the store can be compared with. */
function projected(record: CanonicalRecord): string {
  const person = (ref: PersonRef) => hashPersonId(SALT, ref.idNumber);
  return stableStringify(
    Object.entries(record.fields).map(([field, value]) => {
      if (field === 'against') return value === null ? null : person(value as PersonRef);
      if (field === 'from') return 'person' in (value as object) ? person((value as { person: PersonRef }).person) : (value as { uscc: string }).uscc;
      return comparable(value);
    }),
  );
}

/** A source's current facts in the store, each projected on the fields its upstream's records have. */
async function storedFacts(store: Store, source: string, entities: readonly CanonicalEntity[], expected: CanonicalRecord[]): Promise<Map<string, string>> {
  const fieldsOf = new Map<CanonicalEntity, string[]>();
  for (const record of expected) if (!fieldsOf.has(record.entity)) fieldsOf.set(record.entity, Object.keys(record.fields));
  const personHash = new Map((await store.db.selectFrom('person').select(['id', 'idHash']).execute()).map((row) => [String(row.id), row.idHash]));
  const usccOf = new Map((await store.db.selectFrom('enterprise').select(['id', 'uscc']).execute()).map((row) => [String(row.id), row.uscc]));
  const stored = (row: Record<string, unknown>, field: string): unknown => {
    if (field === 'against') return row.personId == null ? null : personHash.get(String(row.personId));
    if (field === 'from') return row.fromPersonId != null ? personHash.get(String(row.fromPersonId)) : usccOf.get(String(row.fromEnterpriseId));
    return comparable(row[field]);
  };
  const facts = new Map<string, string>();
  for (const entity of entities) {
    const current = entity === 'enterprise' ? sql`` : sql`AND superseded_at IS NULL`;
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(snakeCase(entity))} WHERE source = ${source} ${current}`.execute(store.db);
    for (const row of rows.rows) facts.set(`${entity}|${String(row.externalId)}`, stableStringify((fieldsOf.get(entity) ?? []).map((field) => stored(row, field))));
  }
  return facts;
}

let testStore: TestStore;
let store: Store;
let upstreams: DemoUpstreams;
let enterpriseIds: string[];

beforeAll(async () => {
  testStore = await openTestStore();
  store = testStore.store;
  upstreams = await startDemoUpstreams(portfolio, {});
  await registerDemoEnterprises(store, portfolio, now(), SALT);
  enterpriseIds = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
}, 120_000);

afterAll(async () => {
  await upstreams?.close();
  await testStore?.dispose();
});

// One engine for the file, as a hub has: each listens for withdrawn consents on a connection of its own.
let ingestEngine: IngestEngine;
const engine = () => (ingestEngine ??= new IngestEngine(store, { personIdSalt: SALT, now }));
const bound = (id: string, connector = sources.find((source) => source.connector.manifest.id === id)!.connector) => bindConnector(connector, upstreams.configs.get(id), FAST_RELIABILITY);

async function syncEverySource() {
  const runs = [];
  for (const enterpriseId of enterpriseIds) for (const { connector } of sources) runs.push(await engine().syncEnterprise(enterpriseId, bound(connector.manifest.id)));
  return runs;
}

const reconciled = (run: { fetched: number; stored: number; duplicates: number; quarantined: number }) => run.fetched === run.stored + run.duplicates + run.quarantined;

it('stores exactly what every upstream holds, keeps raw payloads verifiable and without an ID number in clear, and a re-run changes nothing', async () => {
  const runs = await syncEverySource();
  expect(runs.filter((run) => run.status !== 'SUCCEEDED' || run.error !== null || !reconciled(run))).toEqual([]);

  for (const { connector, sandbox } of sources) {
    const { id, entities } = connector.manifest;
    const contract = await contractOf(id);
    const clock = upstreams.sandboxes.get(id)!.clock();
    const expected = portfolio.enterprises.flatMap((enterprise) => contract.expected(enterprise, clock, portfolio));
    expect([id, expected.length > 0, contract.sandbox]).toEqual([id, true, sandbox]);
    const wanted = new Map(expected.map((record) => [`${record.entity}|${record.externalId}`, projected(record)]));
    expect([id, await storedFacts(store, id, entities, expected)]).toEqual([id, wanted]);
  }

  const kept = await sql<{ source: string; payload: string }>`SELECT source, payload::text AS payload FROM raw_payload`.execute(store.db);
  expect(new Set(kept.rows.map((row) => row.source))).toEqual(new Set(sources.map((source) => source.connector.manifest.id)));
  const clear = portfolio.persons.map((person) => person.idNumber);
  expect(kept.rows.filter((row) => clear.some((idNumber) => row.payload.includes(idNumber)))).toEqual([]);
  // Each is kept as the text its hash was taken of, so the hash can be checked from the store.
  const unverifiable = await sql<{ n: string }>`
    SELECT count(*) AS n FROM raw_payload WHERE encode(sha256(convert_to(payload::text, 'UTF8')), 'hex') <> payload_hash`.execute(store.db);
  expect(Number(unverifiable.rows[0]!.n)).toBe(0);

  const facts = async () => {
    let total = 0;
    for (const entity of new Set(sources.flatMap((source) => source.connector.manifest.entities))) {
      total += Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(snakeCase(entity))}`.execute(store.db)).rows[0]!.n);
    }
    return total;
  };
  const before = await facts();
  const again = await syncEverySource();
  expect(again.filter((run) => run.status !== 'SUCCEEDED' || run.stored !== 0 || !reconciled(run))).toEqual([]);
  expect(await facts()).toBe(before);
}, 120_000);

it.each(sources.map((source) => source.connector.manifest.id))(
  'a sync of garbage from %s succeeds, and every record is stored, a duplicate, or in quarantine with its reasons',
  async (id) => {
    const contract = await contractOf(id);
    const [enterpriseId] = enterpriseIds;
    // The fixtures as the upstream would send them for this enterprise.
    const { uscc: ours } = await store.db.selectFrom('enterprise').select('uscc').where('id', '=', enterpriseId!).executeTakeFirstOrThrow();
    const theirs = contract.fixtures.flatMap((fixture) => fixture.records.map((record) => JSON.parse(JSON.stringify(record).replaceAll(fixture.uscc, ours)) as unknown));
    const streams = [...new Set(contract.fixtures.map((fixture) => fixture.stream))];
    const seen = { stored: 0, quarantined: 0 };
    const pages = fc.array(fc.tuple(fc.constantFrom(...streams), fc.array(garbage(theirs), { minLength: 1, maxLength: 12 })), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(pages, async (generated) => {
        // The connector's own normalizer behind pages held in memory: the upstream's garbage as it would arrive.
        const reader: typeof contract.connector = {
          ...contract.connector,
          async *read() {
            for (const [stream, records] of generated) yield { stream, records, checkpoint: { streams: {} } };
          },
        };
        const run = await engine().syncEnterprise(enterpriseId!, bound(id, reader));
        expect([run.status, run.error]).toEqual([run.quarantined > 0 ? 'PARTIAL' : 'SUCCEEDED', null]);
        expect(run.fetched).toBe(generated.reduce((sum, [, records]) => sum + records.length, 0));
        expect(reconciled(run)).toBe(true);
        const quarantined = await store.db.selectFrom('quarantinedRecord').select('errors').where('syncRunId', '=', run.id).execute();
        expect(quarantined).toHaveLength(run.quarantined);
        for (const record of quarantined) expect((record.errors as string[]).length).toBeGreaterThan(0);
        seen.stored += run.stored;
        seen.quarantined += run.quarantined;
      }),
      { seed: 20261129, numRuns: 40 },
    );
    // The garbage reached both ends: some of it was still good enough to store.
    expect(seen.stored).toBeGreaterThan(0);
    expect(seen.quarantined).toBeGreaterThan(0);
  },
  120_000,
);

it.each(sources.map((source) => source.connector.manifest.id))('refuses %s without consent for its scope, and no request reaches the upstream', async (id) => {
  const [enterpriseId] = enterpriseIds;
  const scope = sources.find((source) => source.connector.manifest.id === id)!.connector.manifest.consentScope;
  await store.db.deleteFrom('consent').where('enterpriseId', '=', enterpriseId!).execute();
  await store.db
    .insertInto('consent')
    .values({ enterpriseId: enterpriseId!, scopes: ['some-other-scope'], purpose: 'PRE_LOAN_ASSESSMENT', evidenceRef: 'sources-test', grantedBy: 'sources-test', grantedAt: now(), expiresAt: new Date(now().getTime() + 86_400_000) })
    .execute();
  const sandbox = upstreams.sandboxes.get(id)!;
  const requests = sandbox.stats().requests;
  const run = await engine().syncEnterprise(enterpriseId!, bound(id));
  expect(run).toMatchObject({ status: 'REFUSED', fetched: 0, error: expect.stringContaining(`no valid consent covers scope '${scope}'`) });
  expect(sandbox.stats().requests).toBe(requests);
});
