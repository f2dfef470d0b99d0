import { GraphBuilder, testUscc } from './support/fixtures.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

let testStore: TestStore;
let hub: TestHub;

beforeAll(async () => {
  testStore = await openTestStore();
  hub = await startTestHub(testStore.store);
  await new GraphBuilder(testStore.store.db).enterprise(1, { name: '苏州测试有限公司' });
});

afterAll(async () => {
  await hub.stop();
  await testStore.dispose();
});

describe('GraphQL over HTTP', () => {
  it('answers malformed GraphQL with 400 and a GraphQL error body', async () => {
    const { status, json } = await hub.post(JSON.stringify({ query: '{ enterprise(uscc: "x" { name }' }));
    expect(status).toBe(400);
    expect(json).toMatchObject({ errors: [{ message: expect.stringContaining('Syntax Error'), extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('answers a body that is not JSON with 400 and a GraphQL error body', async () => {
    const { status, json } = await hub.post('{"query": ');
    expect(status).toBe(400);
    expect(json).toEqual({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('reports validation errors as GraphQL errors', async () => {
    const response = await hub.query('{ enterprise(uscc: "x") { noSuchField } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringContaining('noSuchField'),
      extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('refuses variables of the wrong type with BAD_USER_INPUT', async () => {
    const response = await hub.query('query($first: Int) { enterprises(first: $first) { totalCount } }', { first: 'ten' });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const date = await hub.query(
      'query($uscc: String!, $from: Date) { enterprise(uscc: $uscc) { taxFilings(from: $from) { periodEnd } } }',
      { uscc: testUscc(1), from: '2026-02-30' },
    );
    expect(date.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('2026-02-30') });
  });

  it('serves /healthz with 200', async () => {
    const response = await fetch(`${hub.hub.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('in production', () => {
  let production: TestHub;
  beforeAll(async () => {
    production = await startTestHub(testStore.store, 'production');
  });
  afterAll(() => production.stop());

  it('masks unexpected errors and never sends stack traces', async () => {
    // A store failure surfaces as an unexpected error: drop the table the query needs.
    await testStore.store.db.schema.alterTable('tax_rating').renameTo('tax_rating_hidden').execute();
    try {
      const response = await production.query('query($uscc: String!) { enterprise(uscc: $uscc) { taxRatings { year } } }', {
        uscc: testUscc(1),
      });
      expect(response.errors?.[0]).toEqual({ message: 'Internal server error', path: ['enterprise', 'taxRatings'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(response)).not.toContain('tax_rating');
    } finally {
      await testStore.store.db.schema.alterTable('tax_rating_hidden').renameTo('tax_rating').execute();
    }
  });

  it('keeps typed errors readable and refuses introspection', async () => {
    const typed = await production.query('{ enterprise(uscc: "91350100M000100Y44") { name } }');
    expect(typed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('check character') });
    expect(JSON.stringify(typed)).not.toContain('stacktrace');
    const introspection = await production.query('{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('when the store is gone', () => {
  it('stays alive (/healthz 200) and is not ready (/readyz 503)', async () => {
    const other = await openTestStore();
    const lonely = await startTestHub(other.store);
    await other.dispose();
    const live = await fetch(`${lonely.hub.url}/healthz`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${lonely.hub.url}/readyz`);
    expect([ready.status, await ready.json()]).toMatchObject([503, { status: 'not ready', store: 'down' }]);
    await lonely.stop();
  });
});
