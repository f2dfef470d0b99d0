import { sources } from '../connectors/index.js';
import { FAST_RELIABILITY } from '../connectors/kit/reliability.js';
import { systemActor } from '../src/audit/audit.js';
import { registerDemoEnterprises } from '../src/demo/fill.js';
import { createServices } from '../src/graphql/context.js';
import { IngestEngine } from '../src/ingest/engine.js';
import { bindConnector, type AnyConnector } from '../src/ingest/sdk.js';
import { openStore, type Store } from '../src/store/database.js';
import { testClock } from './support/clock.js';
import { FACT_TABLES, currentFacts } from './support/facts.js';
import { TEST_CLOCK, demoUpstreamsForFile } from './support/demo.js';
import { startTestHub, type GraphQLClient, type GraphQLResponse, type TestHub } from './support/hub.js';

/**
 * Nothing lost to a connector's mistake. An older version of two connectors refused records it
 * should have taken — the invoice connector red-letter invoices, the registry connector the
 * executives — so they sat in quarantine. Today's connectors are deployed; a data engineer
 * replays the quarantine through the API: the invoices land from their kept payloads (two
 * calls: some by id, then the rest of the source), while the executives' payloads were kept
 * with their ID numbers masked, so they cannot be linked to the persons again and wait for the
 * next sync, which fetches and lands them. Then no record is open in quarantine and the store
 * holds exactly what an undisturbed sync holds. Requests that cannot be carried out are refused
 * with their code and change nothing.
 */
const SALT = 'quarantine-replay-salt-01';
const now = testClock(TEST_CLOCK);
const world = demoUpstreamsForFile({ seed: 21, enterprises: 12 });

/** The connector as an older version was: it refused the records `refused` picks, naming their key. */
function olderVersion(connector: AnyConnector, refused: (entity: string, fields: Record<string, unknown>) => boolean): AnyConnector {
  return {
    ...connector,
    normalize(raw, context) {
      const normalized = connector.normalize(raw, context);
      if (normalized.ok && normalized.records.some((record) => refused(record.entity, record.fields as Record<string, unknown>))) {
        return { ok: false, errors: [`${connector.manifest.id} 0.9: refused a record of a kind it did not know`], externalId: normalized.records[0]!.externalId };
      }
      return normalized;
    },
  };
}

const OLDER: Record<string, (entity: string, fields: Record<string, unknown>) => boolean> = {
  invoice: (entity, fields) => entity === 'invoice' && fields.status === 'RED_LETTER',
  registry: (entity, fields) => entity === 'relation' && fields.type === 'EXECUTIVE',
};

const enterpriseIds = async (store: Store) => (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);

let reference: Store;
let store: Store;
let hub: TestHub;
let engineer: GraphQLClient;

beforeAll(async () => {
  reference = await openStore({ kind: 'pglite', dataDir: 'memory' });
  await registerDemoEnterprises(reference, world.portfolio, now(), SALT);
  await createServices(reference, { now, personIdSalt: SALT, upstreams: world.upstreams.configs }).ingest.syncMany(systemActor('reference'), await enterpriseIds(reference), { concurrency: 4 });

  store = await openStore({ kind: 'pglite', dataDir: 'memory' });
  await registerDemoEnterprises(store, world.portfolio, now(), SALT);
  const engine = new IngestEngine(store, { personIdSalt: SALT, now });
  for (const enterpriseId of await enterpriseIds(store)) {
    for (const { connector } of sources) {
      const { id } = connector.manifest;
      const deployed = OLDER[id] ? olderVersion(connector, OLDER[id]) : connector;
      await engine.syncEnterprise(enterpriseId, bindConnector(deployed, world.upstreams.configs.get(id), FAST_RELIABILITY));
    }
  }
  hub = await startTestHub(store, 'production', createServices(store, { now, personIdSalt: SALT, upstreams: world.upstreams.configs }));
  engineer = hub.as('dana', 'DATA_ENGINEER');
}, 240_000);

afterAll(async () => {
  await hub?.stop();
  await store?.close();
  await reference?.close();
});

type Record_ = { id: string; source: string; externalId: string | null; resolution: string | null; replayable: boolean; resolvedBy: { kind: string } | null };
const RECORD = 'id source externalId resolution replayable resolvedBy { kind }';

type QuarantinePage = { quarantinedRecords: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Record_ }[] } };

async function quarantine(source: string, open: boolean | null = true): Promise<Record_[]> {
  const found: Record_[] = [];
  let after: string | null = null;
  do {
    const response: GraphQLResponse<QuarantinePage> = await engineer.query<QuarantinePage>(
      `query($filter: QuarantineFilter, $after: String) { quarantinedRecords(filter: $filter, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${RECORD} } } } }`,
      { filter: { source, open }, after },
    );
    expect(response.errors).toBeUndefined();
    const page: QuarantinePage['quarantinedRecords'] = response.data!.quarantinedRecords;
    found.push(...page.edges.map((edge) => edge.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return found;
}

const REPLAY = `mutation($source: String!, $ids: [ID!]) { replayQuarantined(source: $source, ids: $ids) {
  source landed rejectedAgain refused needsRefetch remaining records { ${RECORD} } runs { kind status connector fetched stored duplicates quarantined } } }`;
type Replay = { source: string; landed: number; rejectedAgain: number; refused: number; needsRefetch: number; remaining: number; records: Record_[]; runs: { kind: string; status: string; fetched: number; stored: number; duplicates: number; quarantined: number }[] };

/** What a refused request must leave as it was: the quarantine, the runs, the facts. */
async function state() {
  const runs = await store.db.selectFrom('syncRun').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const open = await store.db.selectFrom('quarantinedRecord').select('id').where('resolvedAt', 'is', null).orderBy('id').execute();
  return { runs: runs.n, open: open.map((row) => row.id), facts: await currentFacts(store) };
}

it('refuses what it cannot carry out, with its code, and changes nothing', async () => {
  const [invoice] = await quarantine('invoice');
  const [registry] = await quarantine('registry');
  expect([invoice, registry].every(Boolean)).toBe(true);
  const before = await state();
  const cases: [string, GraphQLClient, Record<string, unknown>, string, string | undefined][] = [
    ['an unknown source', engineer, { source: 'weather' }, 'BAD_USER_INPUT', 'source'],
    ['a record of another source', engineer, { source: 'invoice', ids: [invoice!.id, registry!.id] }, 'BAD_USER_INPUT', 'ids'],
    ['an id of another kind', engineer, { source: 'invoice', ids: [Buffer.from('Enterprise:1').toString('base64url')] }, 'BAD_USER_INPUT', 'ids[0]'],
    ['an id that is not one', engineer, { source: 'invoice', ids: ['not an id'] }, 'BAD_USER_INPUT', 'ids[0]'],
    ['a record that does not exist', engineer, { source: 'invoice', ids: [Buffer.from('QuarantinedRecord:99999999').toString('base64url')] }, 'NOT_FOUND', 'ids'],
    ['no ids at all', engineer, { source: 'invoice', ids: [] }, 'BAD_USER_INPUT', 'ids'],
    ['more than 500 ids', engineer, { source: 'invoice', ids: Array.from({ length: 501 }, () => invoice!.id) }, 'BAD_USER_INPUT', 'ids'],
    ['an analyst', hub.as('ann', 'ANALYST'), { source: 'invoice' }, 'FORBIDDEN', undefined],
    ['an administrator', hub.as('adam', 'ADMIN'), { source: 'invoice' }, 'FORBIDDEN', undefined],
  ];
  for (const [what, client, variables, code, argument] of cases) {
    const response = await client.query(REPLAY, variables);
    expect([what, response.errors?.[0]?.extensions?.code, response.errors?.[0]?.extensions?.argument]).toEqual([what, code, argument]);
    expect(response.data).toBeNull();
  }
  expect(await state()).toEqual(before);
});

it('lands replayed payloads that pass today, leaves those kept without what they need for the next sync, and then nothing is missing', async () => {
  const missing = async () => {
    const [expected, found] = [await currentFacts(reference), await currentFacts(store)];
    return Object.fromEntries(FACT_TABLES.map((table) => [table, expected[table]!.filter((key) => !found[table]!.includes(key)).length]));
  };
  const invoices = await quarantine('invoice');
  const executives = await quarantine('registry');
  // The older connectors kept facts out: red-letter invoices, and executives (and the persons only they name).
  expect(invoices.length).toBeGreaterThan(3);
  expect(executives.length).toBeGreaterThan(0);
  expect((await missing()).invoice).toBe(invoices.length);
  expect((await missing()).relation).toBe(executives.length);
  expect(invoices.every((record) => record.replayable)).toBe(true);
  expect(executives.every((record) => !record.replayable)).toBe(true);

  // Three by id, then the rest of the source.
  const first = await engineer.query<{ replayQuarantined: Replay }>(REPLAY, { source: 'invoice', ids: invoices.slice(0, 3).map((record) => record.id) });
  expect(first.errors).toBeUndefined();
  expect(first.data!.replayQuarantined).toMatchObject({ landed: 3, rejectedAgain: 0, refused: 0, needsRefetch: 0, remaining: 0 });
  const asked = new Set(invoices.slice(0, 3).map((record) => record.id));
  expect(first.data!.replayQuarantined.records.map((record) => [asked.has(record.id), record.resolution, record.resolvedBy?.kind])).toEqual([...asked].map(() => [true, 'LANDED', 'REPLAY']));
  for (const run of first.data!.replayQuarantined.runs) expect(run).toMatchObject({ kind: 'REPLAY', status: 'SUCCEEDED', connector: 'invoice', quarantined: 0 });
  expect(first.data!.replayQuarantined.runs.reduce((sum, run) => sum + run.fetched, 0)).toBe(3);

  const again = await engineer.query(REPLAY, { source: 'invoice', ids: [invoices[0]!.id] });
  expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
  expect(again.errors?.[0]?.message).toContain('LANDED');

  // An enterprise whose consent was revoked meanwhile: its records are not processed, and stay open.
  const analyst = hub.as('ann', 'ANALYST');
  const withdrawn = (await store.db.selectFrom('quarantinedRecord').select('enterpriseId').where('source', '=', 'invoice').where('resolvedAt', 'is', null).executeTakeFirstOrThrow()).enterpriseId!;
  const enterprise = Buffer.from(`Enterprise:${withdrawn}`).toString('base64url');
  const consents = await analyst.query<{ enterprise: { consents: { id: string }[] } }>('query($id: ID) { enterprise(id: $id) { consents { id } } }', { id: enterprise });
  for (const { id } of consents.data!.enterprise.consents) expect((await analyst.query('mutation($id: ID!) { revokeConsent(id: $id) { id } }', { id })).errors).toBeUndefined();
  const heldBack = (await store.db.selectFrom('quarantinedRecord').select('id').where('source', '=', 'invoice').where('resolvedAt', 'is', null).where('enterpriseId', '=', withdrawn).execute()).length;
  const rest = await engineer.query<{ replayQuarantined: Replay }>(REPLAY, { source: 'invoice' });
  expect(rest.errors).toBeUndefined();
  expect(rest.data!.replayQuarantined).toMatchObject({ landed: invoices.length - 3 - heldBack, rejectedAgain: 0, refused: heldBack, needsRefetch: 0, remaining: 0 });
  expect(rest.data!.replayQuarantined.runs.filter((run) => run.status === 'REFUSED')).toHaveLength(1);
  expect((await quarantine('invoice')).length).toBe(heldBack);

  // Consent given again: the rest lands.
  const granted = await analyst.query(
    'mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }',
    { input: { enterpriseId: enterprise, scopes: sources.map((source) => source.connector.manifest.consentScope), purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: new Date(now().getTime() + 180 * 86_400_000).toISOString(), evidenceRef: 'contracts/replay-test.pdf' } },
  );
  expect(granted.errors).toBeUndefined();
  const last = await engineer.query<{ replayQuarantined: Replay }>(REPLAY, { source: 'invoice' });
  expect(last.data!.replayQuarantined).toMatchObject({ landed: heldBack, refused: 0, remaining: 0 });
  expect(await quarantine('invoice')).toEqual([]);
  expect((await missing()).invoice).toBe(0);

  // The executives' payloads hold masked ID numbers: replaying the source lands nothing and says why.
  const registry = await engineer.query<{ replayQuarantined: Replay }>(REPLAY, { source: 'registry' });
  expect(registry.errors).toBeUndefined();
  expect(registry.data!.replayQuarantined).toMatchObject({ landed: 0, needsRefetch: executives.length, records: [], runs: [] });
  const named = await engineer.query<{ replayQuarantined: Replay }>(REPLAY, { source: 'registry', ids: [executives[0]!.id] });
  expect(named.data!.replayQuarantined).toMatchObject({ landed: 0, needsRefetch: 1, runs: [] });
  expect(named.data!.replayQuarantined.records.map((record) => record.resolution)).toEqual([null]);
  expect((await quarantine('registry')).length).toBe(executives.length);

  // Each replay is in the audit trail, with the records it was asked for.
  const audited = await store.db.selectFrom('auditEvent').select(['actor', 'subjectId', 'after']).where('action', '=', 'REPLAY_QUARANTINE').orderBy('id').execute();
  expect(audited.map((event) => [event.actor, event.subjectId, (event.after as { records: string[] }).records.length])).toEqual([
    ['dana', 'invoice', 3],
    ['dana', 'invoice', invoices.length - 3],
    ['dana', 'invoice', heldBack],
    ['dana', 'registry', 0],
    ['dana', 'registry', 1],
  ]);

  // The next sync fetches the registry again: the executives land, and their rows resolve.
  const ids = await enterpriseIds(store);
  for (const id of ids) {
    const synced = await engineer.query<{ syncEnterprise: { status: string }[] }>('mutation($id: ID!) { syncEnterprise(id: $id, sources: ["registry"]) { status } }', {
      id: Buffer.from(`Enterprise:${id}`).toString('base64url'),
    });
    expect(synced.data?.syncEnterprise.map((run) => run.status)).toEqual(['SUCCEEDED']);
  }
  const resolved = await quarantine('registry', false);
  expect(resolved.map((record) => [record.resolution, record.resolvedBy?.kind])).toEqual(executives.map(() => ['LANDED', 'SYNC']));
  expect(await quarantine('registry')).toEqual([]);
  expect(await missing()).toEqual(Object.fromEntries(FACT_TABLES.map((table) => [table, 0])));
  expect(await currentFacts(store)).toEqual(await currentFacts(reference));
}, 120_000);
