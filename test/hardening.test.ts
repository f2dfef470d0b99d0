import { Writable } from 'node:stream';
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isAbstractType, type GraphQLInputType, type GraphQLField } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createAuthenticator } from '../src/auth/tokens.js';
import { ROLES } from '../src/auth/roles.js';
import { loadConfig } from '../src/config/config.js';
import { createServices } from '../src/graphql/context.js';
import { buildSchema } from '../src/graphql/schema.js';
import { startHub, type Hub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { GraphBuilder, testUscc } from './support/fixtures.js';
import { TEST_JWT_SECRET, TEST_PERSON_ID_SALT, testToken } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * Abuse, as a hostile or careless client would send it, against a hub set up as in production:
 * each request refused with its code before it costs anything, and the hub answering the next.
 */
let testStore: TestStore;
let hub: Hub;
let development: Hub;
const lines: Record<string, unknown>[] = [];
const everyRole = { user: 'mallory', roles: [...ROLES] };

async function post(target: Hub, body: string, headers: Record<string, string> = {}, viewer = everyRole) {
  const response = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await testToken(viewer)}`, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}
const ask = (query: string, variables: Record<string, unknown> = {}, viewer = everyRole, target = hub) => post(target, JSON.stringify({ query, variables }), {}, viewer);
const stillAnswers = async () => expect((await ask('{ ping }')).body).toEqual({ data: { ping: true } });

beforeAll(async () => {
  testStore = await openTestStore();
  await new GraphBuilder(testStore.store.db).enterprise(1, { name: '苏州测试有限公司' });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const limits = { ...loadConfig({}).limits, expensivePerMinute: 3 };
  const start = (nodeEnv: 'production' | 'development') =>
    startHub({
      config: { nodeEnv, port: 0, host: '127.0.0.1', limits, corsOrigins: ['https://console.bank.example'] },
      services: createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT, limits }),
      authenticator: createAuthenticator({ kind: 'secret', secret: TEST_JWT_SECRET }),
      logger: createLogger({ logLevel: 'info' }, sink),
    });
  hub = await start('production');
  development = await start('development');
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await development?.stop();
  await testStore?.dispose();
});

/** `{ enterprise { shareholders { holder { ... on Enterprise { shareholders { … } } } } } }`, `levels` fields deep. */
function deepQuery(levels: number): string {
  let inner = 'name';
  for (let level = 2; level < levels; level += 2) inner = `shareholders { holder { ... on Enterprise { ${inner} } } }`;
  return `{ enterprise(uscc: "${testUscc(1)}") { ${inner} } }`;
}

describe('limits on what an operation asks for', () => {
  it('refuses a deep query, an alias fan-out, a directive flood and a token flood with BAD_USER_INPUT, not saying the limit in production', async () => {
    const within = await ask(deepQuery(12));
    expect(within.body.errors).toBeUndefined();
    const abuses = [deepQuery(30), `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: ping`).join(' ')} }`, `{ ping ${'@include(if: true) '.repeat(60)}}`, `{ ${'__typename '.repeat(3000)}}`];
    for (const query of abuses) {
      const refused = await ask(query);
      expect([query.slice(0, 40), refused.status, refused.body.errors?.[0]?.extensions?.code]).toEqual([query.slice(0, 40), 400, 'BAD_USER_INPUT']);
      expect(refused.body.errors![0]!.message).toContain('the operation asks for more than the hub allows');
      expect(JSON.stringify(refused.body)).not.toMatch(/\b(12|15|50|2000)\b/);
      const told = await ask(query, {}, everyRole, development);
      expect(told.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      await stillAnswers();
    }
    // Development says which limit, so a frontend developer can fix the query.
    const told = (await ask(deepQuery(30), {}, everyRole, development)).body.errors!.map((error) => error.message);
    expect(told).toContain('Syntax Error: Query depth limit of 12 exceeded, found 30.');
  });

  it('bounds every list by pagination, the body by size, and refuses batches', async () => {
    const huge = await ask('{ enterprises(first: 100000) { totalCount } }');
    // Armor weighs a list by its `first`: a huge one costs too much before it reaches paging's own bound.
    expect(huge.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('the operation asks for more than the hub allows') });
    const paged = await ask('{ enterprises(first: 101) { totalCount } }');
    expect(paged.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'first must be between 1 and 100, got 101' });
    const tenMegabytes = await post(hub, JSON.stringify({ query: `{ ping } # ${'x'.repeat(10 * 1024 * 1024)}` }));
    expect([tenMegabytes.status, tenMegabytes.body.errors?.[0]?.extensions?.code]).toEqual([413, 'BAD_USER_INPUT']);
    const batch = await post(hub, JSON.stringify(Array.from({ length: 1000 }, () => ({ query: '{ ping }' }))));
    expect([batch.status, batch.body.errors?.[0]?.extensions?.code]).toEqual([400, 'BAD_USER_INPUT']);
    await stillAnswers();
  });

  it('answers a subscription sent over HTTP with BAD_USER_INPUT, pointing at the websocket', async () => {
    const answer = await ask('subscription { alertRaised { id } }');
    expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'subscriptions are served over graphql-ws on the websocket at /graphql, not over HTTP' });
  });

  it('turns field suggestions off in production and keeps them in development', async () => {
    const production = await ask('{ enterprize(uscc: "x") { name } }');
    expect(production.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(production.body.errors![0]!.message).not.toContain('Did you mean');
    expect((await ask('{ enterprize(uscc: "x") { name } }', {}, everyRole, development)).body.errors![0]!.message).toContain('Did you mean "enterprise"');
  });

  it('weighs a list by its first whether written in or passed as a variable', async () => {
    const literal = await ask('{ enterprises(first: 100000) { totalCount } }');
    const passed = await ask('query($n: Int!) { enterprises(first: $n) { totalCount } }', { n: 100000 });
    for (const answer of [literal, passed]) {
      expect([answer.status, answer.body.errors?.[0]?.extensions?.code, answer.body.errors?.[0]?.message]).toEqual([400, 'BAD_USER_INPUT', expect.stringContaining('the operation asks for more than the hub allows')]);
    }
    expect((await ask('query($n: Int!) { enterprises(first: $n) { totalCount } }', { n: 20 })).body.errors).toBeUndefined();
  });

  it('applies the same limits on the websocket, answers refusals as errors and keeps the socket open', async () => {
    const client = createClient({ url: `${hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await testToken(everyRole)}` }, retryAttempts: 0, lazy: false });
    const closed: unknown[] = [];
    client.on('closed', (event) => closed.push(event));
    const refusal = (query: string, variables?: Record<string, unknown>) =>
      new Promise<{ message: string; extensions?: { code?: string } }[]>((resolve, reject) => {
        client.subscribe({ query, ...(variables ? { variables } : {}) }, { next: () => reject(new Error(`${query} was answered`)), error: (errors) => resolve(errors as never), complete: () => reject(new Error(`${query} completed`)) });
      });
    try {
      const deep = deepQuery(30).replace(/^\{ enterprise\(uscc: "[^"]+"\)/, 'subscription { alertRaised { enterprise');
      expect(await refusal(`${deep} }`)).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('the operation asks for more than the hub allows'), extensions: { code: 'BAD_USER_INPUT' } })]));
      expect(await refusal(`subscription { alertRaised { ${'__typename '.repeat(3000)}} }`)).toEqual([
        expect.objectContaining({ message: 'Syntax Error: the operation asks for more than the hub allows', extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
      expect(await refusal('{ ping }')).toEqual([expect.objectContaining({ message: 'the websocket serves subscriptions; queries and mutations go over HTTP POST to /graphql', extensions: { code: 'BAD_USER_INPUT' } })]);
      expect(await refusal('subscription { alertRaised { id } }   { ping }')).toEqual(expect.arrayContaining([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })]));
      // A valid subscription on the same socket is taken: the refusals did not close it.
      const listening = client.iterate({ query: 'subscription { alertRaised { id } }' });
      const next = listening.next();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(closed).toEqual([]);
      await listening.return?.();
      void next;
    } finally {
      await client.dispose();
    }
  });
});

describe('who may do what, and how often', () => {
  it("refuses a token for another role with FORBIDDEN, whatever it asks", async () => {
    const scoring = { user: 'scorer', roles: ['SCORING_SERVICE' as const] };
    const refused = await ask('{ auditEvents(first: 1) { totalCount } }', {}, scoring);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await stillAnswers();
  });

  it('rate-limits each user\'s expensive operations with RATE_LIMITED, and never counts a refused input', async () => {
    const query = 'query($ids: [ID!]!, $names: [String!]) { featureVectors(enterpriseIds: $ids, names: $names) { enterpriseId } }';
    const enterprise = (await ask(`{ enterprise(uscc: "${testUscc(1)}") { id } }`)).body.data!.enterprise as { id: string };
    const scorer = { user: 'busy-scorer', roles: ['SCORING_SERVICE' as const] };
    expect((await ask(query, { ids: [enterprise.id], names: ['no_such_feature'] }, scorer)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ask(query, { ids: Array(1001).fill(enterprise.id) }, scorer)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (let i = 0; i < 3; i++) expect((await ask(query, { ids: [enterprise.id] }, scorer)).body.errors).toBeUndefined();
    const limited = await ask(query, { ids: [enterprise.id] }, scorer);
    expect(limited.body.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }, message: expect.stringContaining('busy-scorer has used the 3 points a minute') });
    expect(Number(limited.headers.get('retry-after'))).toBe(limited.body.errors![0]!.extensions!.retryAfterSeconds);
    // One budget across the expensive operations: a sync is refused too.
    const sync = await ask('mutation($id: ID!) { syncEnterprise(id: $id) { status } }', { id: enterprise.id }, { user: 'busy-scorer', roles: ['DATA_ENGINEER'] });
    expect(sync.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Another user has a budget of their own.
    expect((await ask(query, { ids: [enterprise.id] }, { user: 'other-scorer', roles: ['SCORING_SERVICE'] })).body.errors).toBeUndefined();
  });

  it('answers every string argument of every query and mutation carrying SQL with a typed error or data, never an internal error, and the store stays whole', async () => {
    const payload = "x'); DROP TABLE enterprise; --";
    const schema = buildSchema();
    const valueOf = (type: GraphQLInputType, depth = 0): unknown => {
      if (isNonNullType(type)) return valueOf(type.ofType, depth);
      if (isListType(type)) return [valueOf(type.ofType, depth)];
      if (isEnumType(type)) return type.getValues()[0]!.value;
      if (isInputObjectType(type)) {
        return depth > 3 ? {} : Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, valueOf(field.type, depth + 1)]));
      }
      const scalars: Record<string, unknown> = { String: payload, ID: payload, Int: 1, Float: 1, Boolean: true, Date: '2026-01-01', DateTime: '2026-01-01T00:00:00Z', Decimal: '1.00', JSON: { payload } };
      return scalars[getNamedType(type).name] ?? payload;
    };
    const operation = (kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) => {
      const declared = field.args.map((arg, i) => `$a${i}: ${String(arg.type)}`);
      const passed = field.args.map((arg, i) => `${arg.name}: $a${i}`);
      const named = getNamedType(getNullableType(field.type));
      const selection = isObjectType(named) || isAbstractType(named) ? '{ __typename }' : '';
      return {
        query: `${kind}${declared.length ? `(${declared.join(', ')})` : ''} { ${field.name}${passed.length ? `(${passed.join(', ')})` : ''} ${selection} }`,
        variables: Object.fromEntries(field.args.map((arg, i) => [`a${i}`, valueOf(arg.type)])),
      };
    };
    const before = await testStore.store.db.selectFrom('enterprise').select('id').execute();
    let operations = 0;
    for (const [kind, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
      for (const field of Object.values(type.getFields())) {
        if (!field.args.some((arg) => getNamedType(arg.type).name === 'String' || getNamedType(arg.type).name === 'ID' || isInputObjectType(getNamedType(arg.type)))) continue;
        const { query, variables } = operation(kind, field);
        const answer = await ask(query, variables);
        operations++;
        expect([field.name, answer.status < 500]).toEqual([field.name, true]);
        for (const error of answer.body.errors ?? []) expect([field.name, error.extensions?.code]).not.toEqual([field.name, 'INTERNAL_SERVER_ERROR']);
      }
    }
    expect(operations).toBeGreaterThan(30);
    expect(await testStore.store.db.selectFrom('enterprise').select('id').execute()).toEqual(before);
    await stillAnswers();
  });
});

describe('the HTTP edge', () => {
  it('refuses a GET that a browser could send cross-site (CSRF), and allows only the configured origins (CORS)', async () => {
    const get = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ ping }')}`, { headers: { authorization: `Bearer ${await testToken(everyRole)}` } });
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('Cross-Site Request Forgery');
    const preflighted = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ ping }')}`, { headers: { authorization: `Bearer ${await testToken(everyRole)}`, 'apollo-require-preflight': 'true' } });
    expect(await preflighted.json()).toEqual({ data: { ping: true } });
    const allowed = await fetch(`${hub.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://console.bank.example', 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.bank.example');
    const other = await fetch(`${hub.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves metrics in production only to the METRICS_TOKEN bearer', async () => {
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${development.url}/metrics`)).status).toBe(200);
    const guarded = await startHub({ config: { nodeEnv: 'production', port: 0, host: '127.0.0.1', metricsToken: 'scrape-token-of-sixteen' }, services: createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT }), authenticator: createAuthenticator({ kind: 'secret', secret: TEST_JWT_SECRET }), logger: createLogger({ logLevel: 'silent' }) });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-of-sixteen' } });
      expect([scraped.status, (await scraped.text()).includes('creditgraph_graphql_request_duration_seconds')]).toEqual([200, true]);
    } finally {
      await guarded.stop();
    }
  });

  it('is ready when the store and the job queue answer', async () => {
    const response = await fetch(`${hub.url}/readyz`);
    expect([response.status, await response.json()]).toEqual([503, { status: 'not ready', store: 'up', queue: 'down' }]);
    const services = createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT });
    await services.jobs.start({ work: false });
    const working = await startHub({ config: { nodeEnv: 'production', port: 0, host: '127.0.0.1' }, services, authenticator: createAuthenticator({ kind: 'secret', secret: TEST_JWT_SECRET }), logger: createLogger({ logLevel: 'silent' }) });
    try {
      const ready = await fetch(`${working.url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', store: 'up', queue: 'up' }]);
      await services.jobs.stop();
      const draining = await fetch(`${working.url}/readyz`);
      expect([draining.status, await draining.json()]).toEqual([503, { status: 'not ready', store: 'up', queue: 'down' }]);
    } finally {
      await working.stop();
      await services.jobs.stop();
    }
  });

  it('logs an unexpected error with the request id the client was given, and tells the client only its code', async () => {
    await testStore.store.db.schema.alterTable('tax_rating').renameTo('tax_rating_hidden').execute();
    try {
      const answer = await post(hub, JSON.stringify({ query: `{ enterprise(uscc: "${testUscc(1)}") { taxRatings { year } } }` }), { 'x-request-id': 'req-hardening-1' });
      expect(answer.headers.get('x-request-id')).toBe('req-hardening-1');
      expect(answer.body.errors?.[0]).toEqual({ message: 'Internal server error', path: ['enterprise', 'taxRatings'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    } finally {
      await testStore.store.db.schema.alterTable('tax_rating_hidden').renameTo('tax_rating').execute();
    }
    const logged = lines.find((line) => line.msg === 'unexpected error in a GraphQL request' && line.requestId === 'req-hardening-1');
    expect(logged).toMatchObject({ level: 50, err: { message: expect.stringContaining('tax_rating') } });
  });
});
