import { sql } from 'kysely';
import { systemActor } from '../src/audit/audit.js';
import { registerDemoEnterprises } from '../src/demo/fill.js';
import { createServices } from '../src/graphql/context.js';
import { maskIdNumber } from '../src/profile/person.js';
import { openStore, type Store } from '../src/store/database.js';
import { testClock } from './support/clock.js';
import { TEST_CLOCK, demoUpstreamsForFile } from './support/demo.js';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * Personal data leaks nothing through the payloads the hub keeps. Every source synced with its
 * schema drifting (renamed keys such as `PersonName`, amounts as numbers) quarantines records;
 * a data engineer pages through every quarantined payload and its reasons, and finds no natural
 * person of the generated world in them: neither a name nor an ID number, clear or as kept. The
 * store keeps no clear ID number in any payload either, whatever key it came under.
 */
const SALT = 'personal-payloads-salt-01';
const now = testClock(TEST_CLOCK);
const world = demoUpstreamsForFile({ seed: 31, enterprises: 24 });

let store: Store;
let hub: TestHub;

beforeAll(async () => {
  store = await openStore({ kind: 'pglite', dataDir: 'memory' });
  await registerDemoEnterprises(store, world.portfolio, now(), SALT);
  const services = createServices(store, { now, personIdSalt: SALT, upstreams: world.upstreams.configs });
  const ids = (await store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
  for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0.5, kinds: ['drift'], seed: 9 });
  try {
    // Twice: the registry's first pass names the legal representatives the court's pulls need.
    for (let pass = 0; pass < 2; pass++) await services.ingest.syncMany(systemActor('sync under drift'), ids, { concurrency: 4 });
  } finally {
    for (const sandbox of world.upstreams.sandboxes.values()) sandbox.setFaults({ rate: 0 });
  }
  hub = await startTestHub(store, 'production', createServices(store, { now, personIdSalt: SALT }));
}, 240_000);

afterAll(async () => {
  await hub?.stop();
  await store?.close();
});

it('shows a data engineer every quarantined payload with no natural person of the world in it', async () => {
  const engineer = hub.as('dana', 'DATA_ENGINEER');
  type Page = { quarantinedRecords: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { source: string; payload: unknown; errors: string[] } }[] } };
  const answers: string[] = [];
  const sources = new Set<string>();
  let after: string | null = null;
  do {
    const response = await engineer.query<Page>('query($after: String) { quarantinedRecords(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { source payload errors } } } }', { after });
    expect(response.errors).toBeUndefined();
    const page: Page['quarantinedRecords'] = response.data!.quarantinedRecords;
    for (const { node } of page.edges) {
      answers.push(JSON.stringify(node));
      sources.add(node.source);
    }
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  const text = answers.join('\n');
  // Drift reached the sources that carry persons, under keys the manifests do not know.
  expect(sources).toEqual(expect.objectContaining(new Set(['registry', 'court'])));
  expect(text).toMatch(/"PersonName":"\p{Script=Han}\*+"/u);

  const leaks = world.portfolio.persons.flatMap((person) =>
    [person.name, person.idNumber, maskIdNumber(person.idNumber)].filter((value) => text.includes(value)).map((value) => `${person.key}: ${value}`),
  );
  expect(leaks).toEqual([]);
});

it('keeps no clear ID number in any raw or quarantined payload, whatever key it came under', async () => {
  const kept = (await sql<{ text: string }>`SELECT payload::text AS text FROM raw_payload UNION ALL SELECT payload::text || errors::text FROM quarantined_record`.execute(store.db)).rows.map((row) => row.text).join('\n');
  expect(kept.length).toBeGreaterThan(0);
  expect(world.portfolio.persons.filter((person) => kept.includes(person.idNumber)).map((person) => person.key)).toEqual([]);
});
