import { Writable } from 'node:stream';
import { sql } from 'kysely';
import fc from 'fast-check';
import { astFromValue, print, getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isAbstractType, type GraphQLInputType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { getDirective } from '@graphql-tools/utils';
import type { Role } from '../src/auth/roles.js';
import { loadConfig } from '../src/config/config.js';
import { createServices } from '../src/graphql/context.js';
import { buildSchema } from '../src/graphql/schema.js';
import { startHub, type Hub } from '../src/server/hub.js';
import { createLogger } from '../src/server/logger.js';
import { GraphBuilder, testUscc } from './support/fixtures.js';
import { TEST_PERSON_ID_SALT, TEST_VIEWER, testToken, testAuthenticator } from './support/hub.js';
import { testClock } from './support/clock.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * Abuse, as a hostile or careless client would send it, against a hub set up as in production:
 * each request refused with its code before it costs anything, and the hub answering the next.
 */
let testStore: TestStore;
let hub: Hub;
let development: Hub;
const lines: Record<string, unknown>[] = [];
/** A user with the roles that read everything (no token may hold every role: segregation of duties). */
const reader = { ...TEST_VIEWER, user: 'mallory' };
/** A user allowed to ask for this root field: its first allowed role. */
const viewerFor = (schema: GraphQLSchema, field: GraphQLField<unknown, unknown>) => ({ user: 'mallory', roles: [(getDirective(schema, field, 'auth')?.[0]?.roles as Role[] | undefined)?.[0] ?? 'RISK_MANAGER'] });

async function post(target: Hub, body: string, headers: Record<string, string> = {}, viewer: { user: string; roles: readonly Role[] } = reader) {
  const response = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await testToken(viewer)}`, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}
const ask = (query: string, variables: Record<string, unknown> = {}, viewer: { user: string; roles: readonly Role[] } = reader, target = hub) => post(target, JSON.stringify({ query, variables }), {}, viewer);
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
      services: createServices(testStore.store, { now: testClock(), personIdSalt: TEST_PERSON_ID_SALT, limits }),
      authenticator: testAuthenticator(),
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

/** A value of the input type, with `text` in every String and ID. */
function validValue(type: GraphQLInputType, text: string, depth = 0): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, text, depth);
  if (isListType(type)) return [validValue(type.ofType, text, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return depth > 3 ? {} : Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, validValue(field.type, text, depth + 1)]));
  }
  const scalars: Record<string, unknown> = { String: text, ID: text, Int: 1, Float: 1, Boolean: true, Date: '2026-01-01', DateTime: '2026-01-01T00:00:00Z', Decimal: '1.00' };
  return scalars[getNamedType(type).name] ?? text;
}

/** The operation a frontend would send for one root field: every argument a variable, the answer's typename selected. */
function operationOn(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, text: string, value = (type: GraphQLInputType) => validValue(type, text)) {
  const declared = field.args.map((arg, i) => `$a${i}: ${String(arg.type)}`);
  const passed = field.args.map((arg, i) => `${arg.name}: $a${i}`);
  const named = getNamedType(getNullableType(field.type));
  const selection = isObjectType(named) || isAbstractType(named) ? '{ __typename }' : '';
  return {
    query: `${kind}${declared.length ? `(${declared.join(', ')})` : ''} { ${field.name}${passed.length ? `(${passed.join(', ')})` : ''} ${selection} }`,
    variables: Object.fromEntries(field.args.map((arg, i) => [`a${i}`, value(arg.type)])),
  };
}

const sqlInjection = "x'); DROP TABLE enterprise; --";

/**
 * Values a variable of the type must refuse: the wrong JSON kind, null where it is required,
 * a string outside an enum or a custom scalar's format, an input object with a field unknown
 * or wrong. (A single value where a list is expected is a list of one, so lists get a wrong item.)
 */
/** A number JSON carries as itself: Infinity and NaN would travel as null, a value of every nullable type. */
const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

function wrongValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof(fc.constant(null), wrongValue(type.ofType, depth));
  if (isListType(type)) return fc.oneof(wrongValue(type.ofType, depth).map((item) => [item]), wrongValue(type.ofType, depth).filter((item) => item !== null && !Array.isArray(item)));
  const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 });
  if (isEnumType(type)) {
    const names = new Set(type.getValues().map((value) => value.name));
    return fc.oneof(fc.string().filter((name) => !names.has(name)), fc.integer(), object);
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const valid = validValue(type, 'x') as Record<string, unknown>;
    const unknownField = fc.string({ minLength: 1, maxLength: 8 }).filter((name) => !(name in fields)).map((name) => ({ ...valid, [name]: 1 }));
    const wrongField =
      depth > 2
        ? unknownField
        : fc.constantFrom(...Object.keys(fields)).chain((name) => wrongValue(fields[name]!.type, depth + 1).map((value) => ({ ...valid, [name]: value })));
    return fc.oneof(unknownField, wrongField, fc.string(), fc.integer());
  }
  const notString = fc.oneof(fc.boolean(), object, fc.array(object, { minLength: 1, maxLength: 2 }));
  switch (getNamedType(type).name) {
    case 'String':
      return fc.oneof(notString, finiteDouble);
    case 'ID':
      return fc.oneof(notString, finiteDouble.filter((number) => !Number.isInteger(number)));
    case 'Int':
      return fc.oneof(notString, fc.string(), finiteDouble.filter((number) => !Number.isInteger(number)), fc.integer({ min: 2 ** 31, max: 2 ** 40 }));
    case 'Float':
    case 'Boolean':
      return fc.oneof(object, fc.string(), getNamedType(type).name === 'Float' ? fc.boolean() : finiteDouble);
    case 'Date':
      return fc.oneof(notString, fc.constantFrom('2026-02-30', '2026-1-01', '20260101', 'today', ''), fc.integer());
    case 'DateTime':
      return fc.oneof(notString, fc.constantFrom('2026-01-01', '2026-01-01T00:00:00', 'now', '2026-13-01T00:00:00Z'), fc.integer());
    case 'Decimal':
      return fc.oneof(notString, fc.constantFrom('1e5', '1,000.00', '', '.5', ' 1'), finiteDouble);
    default:
      return fc.jsonValue();
  }
}

/** `{ enterprise { shareholders { holder { ... on Enterprise { shareholders { … } } } } } }`, `levels` fields deep. */
function deepQuery(levels: number): string {
  let inner = 'name';
  for (let level = 2; level < levels; level += 2) inner = `shareholders { holder { ... on Enterprise { ${inner} } } }`;
  return `{ enterprise(uscc: "${testUscc(1)}") { ${inner} } }`;
}

describe('limits on what an operation asks for', () => {
  it('refuses a deep query, an alias fan-out, a directive flood and a token flood with QUERY_TOO_COMPLEX, saying what it measured and the limit', async () => {
    const within = await ask(deepQuery(12));
    expect(within.body.errors).toBeUndefined();
    const abuses = [
      [deepQuery(30), { measure: 'depth', found: 30, limit: 12 }, 'the operation is too complex: its depth is 30, and the hub allows at most 12'],
      [`{ ${Array.from({ length: 100 }, (_, i) => `a${i}: ping`).join(' ')} }`, { measure: 'aliases', found: 100, limit: 15 }, 'the operation is too complex: its aliases is 100, and the hub allows at most 15'],
      [`{ ping ${'@include(if: true) '.repeat(60)}}`, { measure: 'directives', found: 60, limit: 50 }, 'the operation is too complex: its directives is 60, and the hub allows at most 50'],
      [`{ ${'__typename '.repeat(3000)}}`, { measure: 'tokens', limit: 2000 }, 'the operation is too complex: it has more than 2000 tokens, the most the hub parses'],
    ] as const;
    for (const [query, measured, message] of abuses) {
      for (const target of [hub, development]) {
        const refused = await ask(query, {}, reader, target);
        expect([query.slice(0, 40), refused.status, refused.body.errors?.[0]]).toEqual([query.slice(0, 40), 400, expect.objectContaining({ message, extensions: { code: 'QUERY_TOO_COMPLEX', ...measured } })]);
      }
      await stillAnswers();
    }
  });

  it('bounds every list by pagination, the body by size, and refuses batches', async () => {
    const huge = await ask('{ enterprises(first: 100000) { totalCount } }');
    // Armor weighs a list by its `first`: a huge one costs too much before it reaches paging's own bound.
    expect(huge.body.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'cost', found: 350000, limit: 150000 }, message: 'the operation is too complex: its cost is 350000, and the hub allows at most 150000' });
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
    expect((await ask('{ enterprize(uscc: "x") { name } }', {}, reader, development)).body.errors![0]!.message).toContain('Did you mean "enterprise"');
  });

  it('weighs a list by its first whether written in or passed as a variable', async () => {
    const literal = await ask('{ enterprises(first: 100000) { totalCount } }');
    const passed = await ask('query($n: Int!) { enterprises(first: $n) { totalCount } }', { n: 100000 });
    for (const answer of [literal, passed]) {
      expect([answer.status, answer.body.errors?.[0]?.extensions?.code, answer.body.errors?.[0]?.message]).toEqual([400, 'QUERY_TOO_COMPLEX', expect.stringContaining('its cost is 350000')]);
    }
    expect((await ask('query($n: Int!) { enterprises(first: $n) { totalCount } }', { n: 20 })).body.errors).toBeUndefined();
  });

  it('applies the same limits on the websocket, answers refusals as errors and keeps the socket open', async () => {
    const client = createClient({ url: `${hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await testToken(reader)}` }, retryAttempts: 0, lazy: false });
    const closed: unknown[] = [];
    client.on('closed', (event) => closed.push(event));
    const refusal = (query: string, variables?: Record<string, unknown>) =>
      new Promise<{ message: string; extensions?: { code?: string } }[]>((resolve, reject) => {
        client.subscribe({ query, ...(variables ? { variables } : {}) }, { next: () => reject(new Error(`${query} was answered`)), error: (errors) => resolve(errors as never), complete: () => reject(new Error(`${query} completed`)) });
      });
    try {
      const deep = deepQuery(30).replace(/^\{ enterprise\(uscc: "[^"]+"\)/, 'subscription { alertRaised { enterprise');
      expect(await refusal(`${deep} }`)).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('the operation is too complex: its depth is'), extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', measure: 'depth' }) })]));
      expect(await refusal(`subscription { alertRaised { ${'__typename '.repeat(3000)}} }`)).toEqual([
        expect.objectContaining({ message: 'the operation is too complex: it has more than 2000 tokens, the most the hub parses', extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'tokens', limit: 2000 } }),
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
    const schema = buildSchema();
    const before = await testStore.store.db.selectFrom('enterprise').select('id').execute();
    let operations = 0;
    for (const [kind, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
      for (const field of Object.values(type.getFields())) {
        if (!field.args.some((arg) => getNamedType(arg.type).name === 'String' || getNamedType(arg.type).name === 'ID' || isInputObjectType(getNamedType(arg.type)))) continue;
        const { query, variables } = operationOn(kind, field, sqlInjection);
        const answer = await ask(query, variables, viewerFor(schema, field));
        operations++;
        expect([field.name, answer.status < 500]).toEqual([field.name, true]);
        for (const error of answer.body.errors ?? []) expect([field.name, error.extensions?.code]).not.toEqual([field.name, 'INTERNAL_SERVER_ERROR']);
      }
    }
    expect(operations).toBeGreaterThan(30);
    expect(await testStore.store.db.selectFrom('enterprise').select('id').execute()).toEqual(before);
    await stillAnswers();
  });

  it('answers a variable of the wrong type with BAD_USER_INPUT, in any argument of any query and mutation, and runs nothing', async () => {
    const schema = buildSchema();
    const fields = (['query', 'mutation'] as const).flatMap((kind) =>
      Object.values((kind === 'query' ? schema.getQueryType() : schema.getMutationType())!.getFields())
        .filter((field) => field.args.length > 0)
        .map((field) => ({ kind, field })),
    );
    const wrongRequest = fc
      .constantFrom(...fields)
      .chain(({ kind, field }) => fc.tuple(fc.constant(kind), fc.constant(field), fc.nat({ max: field.args.length - 1 })))
      .chain(([kind, field, wrong]) => wrongValue(field.args[wrong]!.type).map((value) => ({ kind, field, wrong, value })));
    const audited = async () => (await testStore.store.db.selectFrom('auditEvent').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await audited();
    await fc.assert(
      fc.asyncProperty(wrongRequest, async ({ kind, field, wrong, value }) => {
        const { query, variables } = operationOn(kind, field, 'x');
        variables[`a${wrong}`] = value;
        const answer = await ask(query, variables, viewerFor(schema, field));
        expect([field.name, answer.status, answer.body.data]).toEqual([field.name, 400, undefined]);
        expect(answer.body.errors?.length).toBeGreaterThan(0);
        for (const error of answer.body.errors!) expect([field.name, error.extensions?.code]).toEqual([field.name, 'BAD_USER_INPUT']);
      }),
      { seed: 20261129, numRuns: 400 },
    );
    expect(await audited()).toBe(before);
    await stillAnswers();
  });
});

describe('the HTTP edge', () => {
  it('refuses a GET that a browser could send cross-site (CSRF), and allows only the configured origins (CORS)', async () => {
    const get = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ ping }')}`, { headers: { authorization: `Bearer ${await testToken(reader)}` } });
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('Cross-Site Request Forgery');
    const preflighted = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ ping }')}`, { headers: { authorization: `Bearer ${await testToken(reader)}`, 'apollo-require-preflight': 'true' } });
    expect(await preflighted.json()).toEqual({ data: { ping: true } });
    const allowed = await fetch(`${hub.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://console.bank.example', 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.bank.example');
    const other = await fetch(`${hub.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves metrics in production only to the METRICS_TOKEN bearer', async () => {
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${development.url}/metrics`)).status).toBe(200);
    const guarded = await startHub({ config: { nodeEnv: 'production', port: 0, host: '127.0.0.1', metricsToken: 'scrape-token-of-sixteen' }, services: createServices(testStore.store, { now: testClock(), personIdSalt: TEST_PERSON_ID_SALT }), authenticator: testAuthenticator(), logger: createLogger({ logLevel: 'silent' }) });
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
    const services = createServices(testStore.store, { now: testClock(), personIdSalt: TEST_PERSON_ID_SALT });
    await services.jobs.start({ work: false });
    const working = await startHub({ config: { nodeEnv: 'production', port: 0, host: '127.0.0.1' }, services, authenticator: testAuthenticator(), logger: createLogger({ logLevel: 'silent' }) });
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

/** A field with arguments, and the selection that reaches it from its operation's root (literal arguments on the way). */
interface ArgumentSite {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  /** Wraps the field's own selection in the path from the root. */
  reach: (inner: string) => string;
}

/** Every field that takes arguments, on every type a query reaches, with the way to it. */
function argumentSites(schema: GraphQLSchema): ArgumentSite[] {
  const sites: ArgumentSite[] = Object.values(schema.getMutationType()!.getFields()).map((field) => ({ kind: 'mutation', field, reach: (inner) => inner }));
  const literal = (field: GraphQLField<unknown, unknown>) =>
    field.args.length ? `(${field.args.map((arg) => `${arg.name}: ${print(astFromValue(validValue(arg.type, 'x'), arg.type)!)}`).join(', ')})` : '';
  const reached = new Map<string, (inner: string) => string>([[schema.getQueryType()!.name, (inner) => inner]]);
  const queue = [schema.getQueryType()!];
  while (queue.length) {
    const type = queue.shift()!;
    const reach = reached.get(type.name)!;
    for (const field of Object.values(type.getFields())) {
      sites.push({ kind: 'query', field, reach });
      const named = getNamedType(field.type);
      const targets = isObjectType(named) ? [named] : isAbstractType(named) ? schema.getPossibleTypes(named) : [];
      for (const target of targets) {
        if (reached.has(target.name) || target.name.startsWith('__')) continue;
        const on = isAbstractType(named) ? (inner: string) => `... on ${target.name} { ${inner} }` : (inner: string) => inner;
        reached.set(target.name, (inner) => reach(`${field.name}${literal(field)} { ${on(inner)} }`));
        queue.push(target);
      }
    }
  }
  return sites.filter((site) => site.field.args.length > 0);
}

/** The places in a value of the type that hold a scalar named one of `scalars`: [path into the value, label as the hub names it]. */
function leaves(type: GraphQLInputType, scalars: readonly string[], label: string, depth = 0): { path: (string | number)[]; label: string; scalar: string }[] {
  const inner = getNullableType(type);
  if (isListType(inner)) return leaves(inner.ofType, scalars, `${label}[0]`, depth).map((leaf) => ({ ...leaf, path: [0, ...leaf.path] }));
  if (isInputObjectType(inner)) {
    if (depth > 3) return [];
    return Object.values(inner.getFields()).flatMap((field) => leaves(field.type, scalars, `${label}.${field.name}`, depth + 1).map((leaf) => ({ ...leaf, path: [field.name, ...leaf.path] })));
  }
  const name = getNamedType(inner).name;
  return scalars.includes(name) ? [{ path: [], label, scalar: name }] : [];
}

function withLeaf(value: unknown, path: readonly (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [step, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === step ? withLeaf(item, rest, leaf) : item));
  return { ...(value as Record<string, unknown>), [step!]: withLeaf((value as Record<string, unknown>)[step as string], rest, leaf) };
}

/** An operation on the site with every argument a variable holding a valid value, but one leaf holding `leaf`. */
function caseOn(site: ArgumentSite, argument: number, path: readonly (string | number)[], leaf: unknown) {
  const declared = site.field.args.map((arg, i) => `$a${i}: ${String(arg.type)}`).join(', ');
  const passed = site.field.args.map((arg, i) => `${arg.name}: $a${i}`).join(', ');
  const named = getNamedType(site.field.type);
  const selection = isObjectType(named) || isAbstractType(named) ? '{ __typename }' : '';
  const variables = Object.fromEntries(site.field.args.map((arg, i) => [`a${i}`, i === argument ? withLeaf(validValue(arg.type, 'x'), path, leaf) : validValue(arg.type, 'x')]));
  return { query: `${site.kind}(${declared}) { ${site.reach(`${site.field.name}(${passed}) ${selection}`)} }`, variables };
}

/** The longest run of `input` (40 characters or more) that `message` quotes. */
function echoes(message: string, input: string): boolean {
  for (let start = 0; start + 41 <= input.length; start += 41) if (message.includes(input.slice(start, start + 41))) return true;
  return false;
}

describe('one input policy for every string, date and number a client sends', () => {
  const schema = buildSchema();
  const sites = argumentSites(schema);
  const audited = async () => (await testStore.store.db.selectFrom('auditEvent').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
  const tally = { requests: 0, internal: 0 };
  const send = async (site: ArgumentSite, argument: number, path: readonly (string | number)[], leaf: unknown) => {
    const { query, variables } = caseOn(site, argument, path, leaf);
    const answer = await ask(query, variables, viewerFor(schema, site.field));
    tally.requests++;
    tally.internal += (answer.body.errors ?? []).filter((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR').length;
    return answer;
  };

  it('refuses control characters, broken Unicode and over-long text in every string argument and input field with BAD_USER_INPUT naming it, before anything runs', async () => {
    const before = await audited();
    const refused: [string, (lines: boolean) => boolean][] = [
      ['x\u0000y', () => true],
      ['\u0001', () => true],
      ['esc\u001b[31m', () => true],
      ['del\u007f', () => true],
      ['next line\u0085', () => true],
      ['\u202etxt.exe', () => true],
      ['\ud800 half a pair', () => true],
      ['q'.repeat(2001), () => true],
      ['长'.repeat(10_000), () => true],
      ['tab\there', (lines) => !lines],
      ['two\nlines', (lines) => !lines],
    ];
    let positions = 0;
    for (const site of sites) {
      for (const [argument, arg] of site.field.args.entries()) {
        for (const leaf of leaves(arg.type, ['String', 'ID'], arg.name)) {
          positions++;
          const lines = /^(note|reason|comment)$/.test(leaf.label);
          for (const [text, refusedHere] of refused) {
            const answer = await send(site, argument, leaf.path, text);
            if (!refusedHere(lines)) continue;
            const [error] = answer.body.errors ?? [];
            expect([site.field.name, leaf.label, text.slice(0, 12), answer.status, answer.body.data, error?.extensions?.code, error?.extensions?.argument]).toEqual([site.field.name, leaf.label, text.slice(0, 12), 400, undefined, 'BAD_USER_INPUT', leaf.label]);
            expect(error!.message.startsWith(`${leaf.label} `)).toBe(true);
            expect(echoes(error!.message, text)).toBe(false);
          }
        }
      }
    }
    expect(positions).toBeGreaterThan(70);
    expect(tally.internal).toBe(0);
    expect(await audited()).toBe(before);
    await stillAnswers();
  });

  it('answers text within the policy, at its longest, with data or a typed error that quotes at most an excerpt', async () => {
    for (const site of sites) {
      for (const [argument, arg] of site.field.args.entries()) {
        for (const leaf of leaves(arg.type, ['String', 'ID'], arg.name)) {
          const lines = /^(note|reason|comment)$/.test(leaf.label);
          // Distinct letters, so any quoting of it shows.
          const text = Array.from({ length: lines ? 2000 : 200 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('');
          const answer = await send(site, argument, leaf.path, lines ? `${text.slice(0, 1990)}\n\tsigned` : text);
          for (const error of answer.body.errors ?? []) {
            expect([site.field.name, leaf.label, error.extensions?.code]).not.toEqual([site.field.name, leaf.label, 'INTERNAL_SERVER_ERROR']);
            expect([site.field.name, leaf.label, echoes(error.message, text)]).toEqual([site.field.name, leaf.label, false]);
          }
        }
      }
    }
    expect(tally.internal).toBe(0);
    await stillAnswers();
  });

  it('refuses impossible dates, years out of range and oversized numbers in every Date, DateTime and Decimal with BAD_USER_INPUT, and takes the range\'s ends', async () => {
    const before = await audited();
    const cases: Record<string, { refused: string[]; taken: string[] }> = {
      Date: { refused: ['2026-02-30', '2025-02-29', '2026-04-31', '0000-01-01', '0001-01-01', '1899-12-31', '2201-01-01', '+02026-01-01', '2026-01-01T00:00:00Z'], taken: ['1900-01-01', '2200-12-31', '2024-02-29'] },
      DateTime: {
        refused: ['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2201-01-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00Z', '2026-01-01T00:00:00+25:00', '2026-01-01 00:00:00Z'],
        taken: ['1900-01-01T00:00:00Z', '2200-12-31T23:59:59.999Z', '2026-06-30T08:00:00+08:00', '2026-06-30t08:00:00z'],
      },
      Decimal: { refused: ['9'.repeat(18), '1.1234567', `${'9'.repeat(5000)}`], taken: ['9'.repeat(17), '-0.000001', '0'] },
    };
    let positions = 0;
    for (const site of sites) {
      for (const [argument, arg] of site.field.args.entries()) {
        for (const leaf of leaves(arg.type, Object.keys(cases), arg.name)) {
          positions++;
          for (const value of cases[leaf.scalar]!.refused) {
            const answer = await send(site, argument, leaf.path, value);
            expect([site.field.name, leaf.label, value, answer.status, answer.body.data, answer.body.errors?.[0]?.extensions?.code]).toEqual([site.field.name, leaf.label, value, 400, undefined, 'BAD_USER_INPUT']);
            expect(echoes(answer.body.errors![0]!.message, value)).toBe(false);
          }
          for (const value of cases[leaf.scalar]!.taken) {
            const answer = await send(site, argument, leaf.path, value);
            // The scalar takes it: any refusal is the domain's, and typed.
            for (const error of answer.body.errors ?? []) {
              expect([site.field.name, leaf.label, value, error.extensions?.code === 'INTERNAL_SERVER_ERROR', /must be (a calendar day|an RFC 3339|a string of at most)/.test(error.message)]).toEqual([site.field.name, leaf.label, value, false, false]);
            }
          }
        }
      }
    }
    expect(positions).toBeGreaterThan(10);
    expect(tally.internal).toBe(0);
    expect(await audited()).toBe(before);
    await stillAnswers();
  });
});

describe('live connections', () => {
  const socket = async (user: string, roles: readonly Role[] = ['RISK_MANAGER']) => {
    const client = createClient({ url: `${hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await testToken({ user, roles })}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    const outcome = new Promise<'connected' | { code: number; reason: string }>((resolve) => {
      client.on('connected', () => resolve('connected'));
      client.on('closed', (event) => resolve({ code: (event as { code: number }).code, reason: (event as { reason: string }).reason }));
    });
    return { client, outcome: await outcome };
  };
  /** A subscription's first answer: an event, or its refusal. */
  const first = (client: ReturnType<typeof createClient>, query: string) =>
    new Promise<{ data?: unknown; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>((resolve) => {
      client.subscribe({ query }, { next: (event) => resolve(event as never), error: (errors) => resolve({ errors: errors as never }), complete: () => resolve({}) });
    });

  it('caps the websocket connections a user holds (4429, final) and the subscriptions a connection runs (an error), and frees a place when one closes', async () => {
    const held: Awaited<ReturnType<typeof socket>>[] = [];
    for (let i = 0; i < 5; i++) held.push(await socket('flood'));
    expect(held.map((opened) => opened.outcome)).toEqual(Array(5).fill('connected'));
    const sixth = await socket('FLOOD');
    expect(sixth.outcome).toEqual({ code: 4429, reason: 'TOO_MANY_CONNECTIONS: flood holds 5 connections, the most allowed' });
    const other = await socket('not-flood');
    expect(other.outcome).toBe('connected');

    const subscriptions = Array.from({ length: 20 }, () => first(held[0]!.client, 'subscription { alertRaised { id } }'));
    const refused = await first(held[0]!.client, 'subscription { alertRaised { id } }');
    expect(refused.errors).toEqual([expect.objectContaining({ message: 'a socket holds at most 20 subscriptions; complete one first', extensions: { code: 'BAD_USER_INPUT', limit: 20 } })]);
    void subscriptions;

    await held.pop()!.client.dispose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await socket('flood');
    expect(again.outcome).toBe('connected');
    await Promise.all([...held, again, other, sixth].map(({ client }) => client.dispose()));
    await stillAnswers();
  });

  it('pushes an alert to every subscriber with one read of its enterprise, and audits the delivery in a line per person that names every recipient', async () => {
    const builder = new GraphBuilder(testStore.store.db);
    const enterprise = await testStore.store.db.selectFrom('enterprise').select('id').where('uscc', '=', testUscc(1)).executeTakeFirstOrThrow();
    const person = await builder.person('王推送');
    await builder.relation({ personId: person.id }, enterprise.id, 'LEGAL_REPRESENTATIVE');
    const query = 'subscription { alertRaised { id enterprise { name legalRepresentative { name } } } }';
    /** Raises an alert as monitoring does (the row, then NOTIFY on commit) and waits for every subscriber's event. */
    const deliver = async (subscribers: number) => {
      const clients: ReturnType<typeof createClient>[] = [];
      for (let user = 0; user * 5 < subscribers; user++) for (let i = 0; i < Math.min(5, subscribers - user * 5); i++) clients.push((await socket(`watcher-${user}`)).client);
      const events: unknown[] = [];
      const received = new Promise<void>((resolve) => {
        for (const client of clients) client.subscribe({ query }, { next: (event) => events.push(event) === subscribers && resolve(), error: (error) => events.push(error), complete: () => undefined });
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const statements = testStore.store.statementCount();
      const at = testClock()();
      const alert = await testStore.store.db
        .insertInto('alert')
        .values({ enterpriseId: enterprise.id, code: `LAWSUIT_NEW_${subscribers}`, severity: 'WARNING', signalKey: `push-${subscribers}`, evidence: JSON.stringify({}), recommendedAction: 'WATCH', detectedAt: at, updatedAt: at, sweepId: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`SELECT pg_notify('creditgraph_alert_raised', ${JSON.stringify([alert.id])})`.execute(testStore.store.db);
      await received;
      const read = testStore.store.statementCount() - statements;
      await Promise.all(clients.map((client) => client.dispose()));
      return { events, read };
    };
    const audited = async () => testStore.store.db.selectFrom('auditEvent').selectAll().where('action', '=', 'READ_PERSONAL_DATA').where('subjectType', '=', 'Person').where('actor', '=', 'system').execute();

    const alone = await deliver(1);
    const linesBefore = (await audited()).length;
    const crowd = await deliver(40);
    const lines = (await audited()).slice(linesBefore);
    expect(crowd.events).toHaveLength(40);
    for (const event of crowd.events) expect(event).toMatchObject({ data: { alertRaised: { enterprise: { name: '苏州测试有限公司', legalRepresentative: { name: '王推送' } } } } });
    // The enterprise and its representative are read once for all of them; audit lines come by group commit, a few at most.
    expect(crowd.read - alone.read).toBeLessThanOrEqual(3);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(new Set(lines.flatMap((line) => line.recipients ?? []))).toEqual(new Set(Array.from({ length: 8 }, (_, user) => `watcher-${user}`)));
    // A user's trail finds the deliveries made to them.
    const trail = await ask('{ auditEvents(filter: { actor: "Watcher-3", action: "READ_PERSONAL_DATA" }, first: 10) { edges { node { actor recipients } } } }', {}, { user: 'auditor', roles: ['RISK_MANAGER'] });
    expect((trail.body.data!.auditEvents as { edges: { node: { actor: string; recipients: string[] } }[] }).edges.map((edge) => edge.node)).toEqual(
      expect.arrayContaining([{ actor: 'system', recipients: expect.arrayContaining(['watcher-3']) }]),
    );
  });
});
