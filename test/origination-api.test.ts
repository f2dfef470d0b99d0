import { sql } from 'kysely';
import { fillThroughConnectors, registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from '../src/demo/fill.js';
import { generatePortfolio, type Portfolio } from '../src/world/index.js';
import { createServices } from '../src/graphql/context.js';
import { signToken } from '../src/auth/tokens.js';
import { startTestHub, TEST_JWT_SECRET, TEST_PERSON_ID_SALT, testToken, type GraphQLClient, type GraphQLResponse, type TestHub } from './support/hub.js';
import { FAST_RELIABILITY } from '../connectors/kit/reliability.js';
import { testUscc } from './support/fixtures.js';
import { openTestStore, type TestStore } from './support/store.js';
import { systemClock } from '../src/common/clock.js';
import { testClock } from './support/clock.js';
import type { Role } from '../src/auth/roles.js';

/**
 * Origination end to end over HTTP with tokens, as the credit officers' screens send it: the
 * demo's upstream sandboxes on loopback, syncs through the connectors, the frozen risk view,
 * automatic and manual decisions under maker-checker, consent, and the audit trail. Every
 * refused request is checked to have changed nothing.
 */
const DAY = 86_400_000;
let testStore: TestStore;
let upstreams: DemoUpstreams;
let portfolio: Portfolio;
let hub: TestHub;
/** The hub's clock: the portfolio's date in real time, moved by `shift`, and by `jump` once `jumpWhen` says so. */
const clock = { shift: 0, jump: 0, jumpWhen: () => false };
const dataDate = testClock('2026-11-01');
const now = () => new Date(dataDate().getTime() + clock.shift + (clock.jumpWhen() ? clock.jump : 0));
/** A time as SQL text, for the statements that write past the services. */
const sqlTime = (at: Date) => `'${at.toISOString()}'::timestamptz`;

let alice: GraphQLClient; // ANALYST: the maker
let bob: GraphQLClient; // APPROVER
let carol: GraphQLClient; // SENIOR_APPROVER
let rita: GraphQLClient; // RISK_MANAGER
let dave: GraphQLClient; // DATA_ENGINEER
let sam: GraphQLClient; // ANALYST: another maker
let admin: GraphQLClient;

/** The USCC of the portfolio's n-th enterprise (1-based), whose risk view the tests rely on. */
const uscc = (n: number) => portfolio.enterprises[n - 1]!.uscc;

beforeAll(async () => {
  testStore = await openTestStore();
  portfolio = generatePortfolio({ seed: 7, enterprises: 16, clock: '2026-11-01' });
  upstreams = await startDemoUpstreams(portfolio, {});
  await registerDemoEnterprises(testStore.store, portfolio, now(), TEST_PERSON_ID_SALT);
  const services = createServices(testStore.store, {
    personIdSalt: TEST_PERSON_ID_SALT,
    upstreams: upstreams.configs,
    reliability: FAST_RELIABILITY,
    now,
  });
  const ids = (await testStore.store.db.selectFrom('enterprise').select('id').where('uscc', 'in', [1, 2, 3, 6, 7, 14].map(uscc)).execute()).map((row) => row.id);
  await fillThroughConnectors(services.ingest, ids, { concurrency: 3, report: () => undefined });
  hub = await startTestHub(testStore.store, 'test', services);
  alice = hub.as('alice', 'ANALYST');
  bob = hub.as('bob', 'APPROVER');
  carol = hub.as('carol', 'SENIOR_APPROVER');
  rita = hub.as('rita', 'RISK_MANAGER');
  dave = hub.as('dave', 'DATA_ENGINEER');
  sam = hub.as('sam', 'ANALYST');
  admin = hub.as('root', 'ADMIN');
}, 240_000);

afterAll(async () => {
  await hub?.stop();
  await upstreams?.close();
  await testStore?.dispose();
});

const APPLICATION_FIELDS = /* GraphQL */ `
  id state product amount { amount } termMonths createdBy submittedBy assignee expiresAt missingConsentScopes
  enterprise { uscc }
  assessment { score grade decision model { id version } ruleHits { code kind } reasonCodes { code } recommendedLimit { amount } features { name value } dataCoverage { source state } }
  decision { decision basis decidedBy deciderRole reasonCode comment againstModel approvedAmount { amount } }
  loan { id status amount { amount } limit { amount } termMonths pricingRateBps maturesOn }`;

interface ApplicationView {
  id: string;
  state: string;
  amount: { amount: string };
  createdBy: string;
  submittedBy: string | null;
  assignee: string | null;
  missingConsentScopes: string[];
  assessment: null | {
    score: number;
    grade: string;
    decision: string;
    model: { id: string; version: string };
    ruleHits: { code: string; kind: string }[];
    reasonCodes: { code: string }[];
    recommendedLimit: { amount: string } | null;
    features: { name: string; value: number | null }[];
  };
  decision: null | { decision: string; basis: string; decidedBy: string; deciderRole: string | null; reasonCode: string | null; comment: string | null; againstModel: boolean; approvedAmount: { amount: string } | null };
  loan: null | { status: string; amount: { amount: string }; limit: { amount: string }; pricingRateBps: number | null; maturesOn: string };
}

const CREATE = `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { ${APPLICATION_FIELDS} } }`;
const SUBMIT = `mutation($id: ID!) { submitApplication(id: $id) { ${APPLICATION_FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $decision: ApplicationDecision!, $reasonCode: String, $comment: String, $amount: Decimal) {
  decideApplication(id: $id, decision: $decision, reasonCode: $reasonCode, comment: $comment, amount: $amount) { ${APPLICATION_FIELDS} } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawApplication(id: $id) { ${APPLICATION_FIELDS} } }`;
const ASSIGN = `mutation($id: ID!, $user: String!) { assignApplication(id: $id, user: $user) { ${APPLICATION_FIELDS} } }`;
const GET = `query($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`;
const GRANT = 'mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id scopes status } }';

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

function refused(response: GraphQLResponse, code: string, message?: string | RegExp) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]).toMatchObject({ extensions: { code }, ...(message ? { message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) } : {}) });
  return response.errors![0]!;
}

async function create(client: GraphQLClient, n: number, amount: string, termMonths = 12, product = 'invoice-loan') {
  return ok(await client.query<{ createApplication: ApplicationView }>(CREATE, { input: { uscc: uscc(n), product, amount, termMonths } })).createApplication;
}

async function submit(client: GraphQLClient, id: string) {
  return ok(await client.query<{ submitApplication: ApplicationView }>(SUBMIT, { id })).submitApplication;
}

async function get(id: string) {
  return ok(await rita.query<{ application: ApplicationView }>(GET, { id })).application;
}

/** Applications and the audit trail, read straight from the store: what "nothing changed" compares. */
async function storeState() {
  const db = testStore.store.db;
  const applications = await db.selectFrom('application').selectAll().orderBy('id').execute();
  const audit = await db.selectFrom('auditEvent').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const consents = await db.selectFrom('consent').selectAll().orderBy('id').execute();
  const loans = await db.selectFrom('loan').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return { applications, audit: audit.n, consents, loans: loans.n };
}

/** Runs a refused request and checks that the store is as it was. */
/** The n-th enterprise's risk view now, as an analyst reads it. */
async function riskView(n: number, product: string) {
  const query = 'query($uscc: String, $product: String) { enterprise(uscc: $uscc) { riskView(product: $product) { decision recommendedLimit { amount } } } }';
  return ok(await alice.query<{ enterprise: { riskView: { decision: string; recommendedLimit: { amount: string } | null } } }>(query, { uscc: uscc(n), product })).enterprise.riskView;
}

async function changesNothing(request: () => Promise<unknown>) {
  const before = await storeState();
  await request();
  expect(await storeState()).toEqual(before);
}

describe('authentication', () => {
  const PING = '{ viewer { user roles } }';

  it('answers 401 UNAUTHENTICATED without a token, with a tampered, expired or foreign one, or with roles it does not know', async () => {
    const good = await testToken({ user: 'alice', roles: ['ANALYST'] });
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['ADMIN'] })).toString('base64url');
    const cases: [string | undefined, string][] = [
      [undefined, 'a bearer token is required'],
      ['Basic YWxpY2U6c2VjcmV0', 'not a bearer JWT'],
      [`Bearer ${header}.${forged}.${signature}`, 'signature is not valid'],
      [`Bearer ${header}.${payload}.${signature.slice(0, -4)}AAAA`, 'signature is not valid'],
      [`Bearer ${await testToken({ user: 'alice', roles: ['ANALYST'] }, 60, new Date(systemClock().getTime() - 3600_000))}`, 'has expired'],
      [`Bearer ${await signToken(new TextEncoder().encode('another-deployment-secret-another-one'), { user: 'alice', roles: ['ADMIN'] }, 600, systemClock())}`, 'signature is not valid'],
      [`Bearer ${await signToken(TEST_JWT_SECRET, { user: 'alice', roles: ['OWNER' as never] }, 600, systemClock())}`, "claims are not the hub's"],
    ];
    for (const [authorization, message] of cases) {
      await changesNothing(async () => {
        const response = await hub.withAuthorization(authorization).query(PING);
        expect(response.status).toBe(401);
        refused(response, 'UNAUTHENTICATED', message);
        const mutation = await hub.withAuthorization(authorization).query(CREATE, { input: { uscc: uscc(1), product: 'invoice-loan', amount: '100000', termMonths: 12 } });
        expect(mutation.status).toBe(401);
      });
    }
    expect(ok(await hub.withAuthorization(`Bearer ${good}`).query(PING))).toEqual({ viewer: { user: 'alice', roles: ['ANALYST'] } });
  });

  it("knows a person by one canonical name, whatever the token's spelling, and refuses the hub's own name", async () => {
    for (const spelling of ['Alice', 'alice ', ' ALICE', 'ａｌｉｃｅ', 'a\u200blice', 'ali\u00adce', 'Ａｌｉｃｅ\u3000']) {
      const viewer = ok(await hub.withAuthorization(`Bearer ${await testToken({ user: spelling, roles: ['APPROVER'] })}`).query<{ viewer: { user: string } }>(PING)).viewer;
      expect(viewer.user).toBe('alice');
    }
    for (const [user, message] of [['System', "'system' is the hub's own name"], ['\u200b \u3000', 'names no one']] as const) {
      const response = await hub.withAuthorization(`Bearer ${await testToken({ user, roles: ['APPROVER'] })}`).query(PING);
      expect(response.status).toBe(401);
      refused(response, 'UNAUTHENTICATED', message);
    }
  });

  it('answers 403 FORBIDDEN to a token holding roles one person may not hold together, and changes nothing', async () => {
    const pairs: [string[], string][] = [
      [['ANALYST', 'APPROVER'], 'the maker of an application may not hold the role that approves it'],
      [['SENIOR_APPROVER', 'ANALYST'], 'the maker of an application may not hold the role that approves it'],
      [['ANALYST', 'RISK_MANAGER'], 'the maker of a limit proposal may not hold the role that decides it'],
      [['ADMIN', 'SENIOR_APPROVER', 'RISK_MANAGER'], 'a system administrator decides no credit'],
      [['APPROVER', 'ADMIN'], 'a system administrator decides no credit'],
    ];
    for (const [roles, message] of pairs) {
      const token = await testToken({ user: 'mallory', roles: roles as Role[] });
      await changesNothing(async () => {
        const response = await hub.withAuthorization(`Bearer ${token}`).query(PING);
        expect(response.status).toBe(403);
        refused(response, 'FORBIDDEN', message);
      });
    }
  });

  it('lets /healthz answer without a token', async () => {
    expect((await fetch(`${hub.hub.url}/healthz`)).status).toBe(200);
  });
});

describe('roles', () => {
  it('answer FORBIDDEN, naming the roles allowed, to a token without one, and change nothing', async () => {
    await changesNothing(async () => {
      refused(await dave.query(CREATE, { input: { uscc: uscc(1), product: 'invoice-loan', amount: '100000', termMonths: 12 } }), 'FORBIDDEN', 'Mutation.createApplication is for ANALYST');
      refused(await hub.as('svc', 'SCORING_SERVICE').query('{ auditEvents(first: 1) { totalCount } }'), 'FORBIDDEN', 'RISK_MANAGER, ADMIN');
      refused(await dave.query('{ applications(first: 1) { totalCount } }'), 'FORBIDDEN');
      refused(await hub.as('svc', 'SCORING_SERVICE').query('mutation($id: ID!) { revokeConsent(id: $id) { id } }', { id: Buffer.from('Consent:1').toString('base64url') }), 'FORBIDDEN');
    });
    const risk = await dave.query<{ enterprise: unknown }>('query($uscc: String) { enterprise(uscc: $uscc) { riskView { score } } }', { uscc: uscc(1) });
    expect(risk.errors?.[0]).toMatchObject({ path: ['enterprise', 'riskView'], extensions: { code: 'FORBIDDEN' } });
  });

  it('mask natural persons for roles that do not need them, and audit every read in clear', async () => {
    const QUERY = 'query($uscc: String) { enterprise(uscc: $uscc) { legalRepresentative { id name maskedIdNumber } } }';
    type Person = { enterprise: { legalRepresentative: { id: string; name: string; maskedIdNumber: string } } };
    const masked = ok(await dave.query<Person>(QUERY, { uscc: uscc(1) })).enterprise.legalRepresentative;
    const clear = ok(await alice.query<Person>(QUERY, { uscc: uscc(1) })).enterprise.legalRepresentative;
    expect(clear.name.length).toBeGreaterThan(1);
    expect(masked.name).toBe(clear.name[0] + '*'.repeat([...clear.name].length - 1));
    expect(clear.maskedIdNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(masked.maskedIdNumber).toBe('*'.repeat(18));

    const reads = ok(await rita.query<{ auditEvents: { edges: { node: { actor: string; roles: string[]; action: string; subject: string } }[] } }>(
      'query($id: ID) { auditEvents(filter: { action: "READ_PERSONAL_DATA", subject: $id }) { edges { node { actor roles action subject } } } }',
      { id: clear.id },
    )).auditEvents.edges.map((edge) => edge.node);
    // Alice read it in clear; Dave's masked read is not a read of personal data.
    expect(reads).toEqual([{ actor: 'alice', roles: ['ANALYST'], action: 'READ_PERSONAL_DATA', subject: clear.id }]);
  });
});

describe('reads of personal data under load', () => {
  it('are each audited, however many arrive at once', async () => {
    const QUERY = 'query($uscc: String) { enterprise(uscc: $uscc) { legalRepresentative { id name } } }';
    const readers = Array.from({ length: 24 }, (_, i) => hub.as(`reader-${i}`, 'ANALYST'));
    const answers = await Promise.all(readers.map((reader, i) => reader.query<{ enterprise: { legalRepresentative: { id: string } } }>(QUERY, { uscc: uscc((i % 3) + 1) })));
    const events = ok(await rita.query<{ auditEvents: { edges: { node: { actor: string; subject: string } }[] } }>(
      '{ auditEvents(filter: { action: "READ_PERSONAL_DATA" }, first: 100) { edges { node { actor subject } } } }',
    )).auditEvents.edges.map((edge) => edge.node);
    for (const [i, answer] of answers.entries()) {
      expect(events).toContainEqual({ actor: `reader-${i}`, subject: ok(answer).enterprise.legalRepresentative.id });
    }
  });
});

describe('quarantined payloads', () => {
  it('show natural persons\' names masked to those who run the sources', async () => {
    await testStore.store.db
      .insertInto('quarantinedRecord')
      .values({
        source: 'registry',
        externalId: 'K1',
        payloadHash: 'h1',
        payload: JSON.stringify({ KeyNo: 'K1', Name: '王建国', IdNo: '320505********231X', Role: ['法定代表人'], Partners: [{ StockName: '李秀英', StockPercent: 'sixty' }] }),
        errors: JSON.stringify(['StockPercent: expected a percentage']),
        quarantinedAt: now(),
      })
      .execute();
    const QUERY = '{ quarantinedRecords(filter: { source: "registry" }, first: 5) { edges { node { externalId payload } } } }';
    type Page = { quarantinedRecords: { edges: { node: { externalId: string; payload: unknown } }[] } };
    for (const client of [dave, admin]) {
      expect(ok(await client.query<Page>(QUERY)).quarantinedRecords.edges.map((edge) => edge.node)).toEqual([
        { externalId: 'K1', payload: { KeyNo: 'K1', Name: '王**', IdNo: '*'.repeat(18), Role: ['法定代表人'], Partners: [{ StockName: '李**', StockPercent: 'sixty' }] } },
      ]);
    }
  });
});

describe('createApplication', () => {
  it.each([
    ['an amount under the minimum', { amount: '29999.99' }, 'BAD_USER_INPUT', "outside invoice-loan's bounds, 30000.00 to 2000000.00"],
    ['an amount over the maximum', { amount: '2000000.01' }, 'BAD_USER_INPUT', 'outside'],
    ['an amount with three decimals', { amount: '100000.001' }, 'BAD_USER_INPUT', 'more than two decimal places'],
    ['a term too short', { termMonths: 2 }, 'BAD_USER_INPUT', 'termMonths 2 is outside'],
    ['a term too long', { termMonths: 25 }, 'BAD_USER_INPUT', 'termMonths 25 is outside'],
    ['an unknown product', { product: 'payday-loan' }, 'BAD_USER_INPUT', "product 'payday-loan' is not configured"],
    ['a USCC that is not valid', { uscc: '91350100M000100Y44' }, 'BAD_USER_INPUT', 'is not valid'],
    ['an enterprise the hub does not know', { uscc: testUscc(999_999) }, 'NOT_FOUND', 'is known to the hub'],
  ])('refuses %s and changes nothing', async (_, change, code, message) => {
    const input = { uscc: uscc(1), product: 'invoice-loan', amount: '100000', termMonths: 12, ...change };
    await changesNothing(async () => {
      refused(await alice.query(CREATE, { input }), code, message);
    });
  });
});

describe('the application workflow', () => {
  it('declines automatically on a knockout, freezing the risk view it decided on', async () => {
    const draft = await create(alice, 7, '100000');
    expect(draft).toMatchObject({ state: 'DRAFT', createdBy: 'alice', missingConsentScopes: [], assessment: null, decision: null });
    const declined = await submit(alice, draft.id);
    expect(declined).toMatchObject({
      state: 'DECLINED',
      submittedBy: 'alice',
      decision: { decision: 'DECLINE', basis: 'AUTOMATIC', decidedBy: 'system', reasonCode: 'KO_SALES_DOWN_30_12M', againstModel: false },
      loan: null,
    });
    expect(declined.assessment).toMatchObject({ decision: 'DECLINE', model: { id: 'sme-general', version: expect.any(String) }, recommendedLimit: null });
    expect(declined.assessment!.ruleHits).toContainEqual({ code: 'KO_SALES_DOWN_30_12M', kind: 'KNOCKOUT' });
    expect(declined.assessment!.reasonCodes[0]!.code).toBe('KO_SALES_DOWN_30_12M');
    expect(declined.assessment!.features.length).toBeGreaterThan(60);

    // Frozen: the same snapshot reads back after the enterprise's data changes and the clock moves.
    await testStore.store.db.updateTable('invoice').set({ supersededAt: now() }).where('sellerEnterpriseId', '=', sql<string>`(SELECT id FROM enterprise WHERE uscc = ${uscc(7)})`).execute();
    expect((await get(draft.id)).assessment).toEqual(declined.assessment);
  });

  it('approves a small application from a clean enterprise automatically and books the loan', async () => {
    const approved = await submit(alice, (await create(alice, 1, '150000', 12)).id);
    expect(approved).toMatchObject({
      state: 'APPROVED',
      decision: { decision: 'APPROVE', basis: 'AUTOMATIC', decidedBy: 'system', deciderRole: null, againstModel: false },
      assessment: { decision: 'APPROVE', grade: expect.stringMatching(/^[AB]$/) },
      loan: { status: 'ACTIVE', amount: { amount: '150000.00' }, limit: { amount: '150000.00' }, pricingRateBps: expect.any(Number) },
    });
    expect(approved.loan!.maturesOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  let inReview: ApplicationView;

  it('refers a larger one to review, where only another user with an approver role decides it', async () => {
    inReview = await submit(alice, (await create(alice, 2, '500000', 12)).id);
    expect(inReview).toMatchObject({ state: 'IN_REVIEW', decision: null, assessment: { decision: 'APPROVE' } });
    await changesNothing(async () => {
      refused(await alice.query(DECIDE, { id: inReview.id, decision: 'APPROVE' }), 'FORBIDDEN', 'APPROVER, SENIOR_APPROVER');
      refused(await bob.query(ASSIGN, { id: inReview.id, user: 'alice' }), 'BAD_USER_INPUT', 'alice made this application');
      // Work goes to people who exist and may do it.
      refused(await bob.query(ASSIGN, { id: inReview.id, user: 'nobody-signed-in' }), 'BAD_USER_INPUT', "user 'nobody-signed-in' is not a user of the hub");
      await hub.as('dana', 'DATA_ENGINEER').query('{ ping }');
      refused(await bob.query(ASSIGN, { id: inReview.id, user: 'Dana' }), 'BAD_USER_INPUT', "user 'dana' holds none of the roles that review an application (APPROVER, SENIOR_APPROVER)");
    });
    expect(ok(await bob.query<{ assignApplication: ApplicationView }>(ASSIGN, { id: inReview.id, user: 'bob' })).assignApplication.assignee).toBe('bob');

    const approved = ok(await bob.query<{ decideApplication: ApplicationView }>(DECIDE, { id: inReview.id, decision: 'APPROVE', comment: '经营稳定' })).decideApplication;
    expect(approved).toMatchObject({
      state: 'APPROVED',
      assignee: 'bob',
      decision: { decision: 'APPROVE', basis: 'MANUAL', decidedBy: 'bob', deciderRole: 'APPROVER', comment: '经营稳定', againstModel: false },
      loan: { status: 'ACTIVE', amount: { amount: '500000.00' } },
    });
    expect(approved.assessment).toEqual(inReview.assessment);
  });

  it('never lets the maker decide, however the approver token spells their name', async () => {
    const mine = await submit(sam, (await create(sam, 2, '400000', 12)).id);
    expect(mine.state).toBe('IN_REVIEW');
    // sam's checker token, under another spelling of sam.
    for (const spelling of ['Sam', 'sam ', 'ｓａｍ', 's\u200bam', 'SAM']) {
      const checker = hub.as(spelling, 'APPROVER');
      await changesNothing(async () => {
        refused(await checker.query(DECIDE, { id: mine.id, decision: 'APPROVE' }), 'FORBIDDEN', 'sam created this application and so cannot decide it');
      });
    }
    // Submitted by someone else, it is still the creator's own.
    const made = await create(sam, 2, '300000', 12);
    const submitted = await submit(alice, made.id);
    await changesNothing(async () => {
      refused(await hub.as('Sam', 'APPROVER').query(DECIDE, { id: submitted.id, decision: 'DECLINE', reasonCode: 'DCL_POLICY' }), 'FORBIDDEN', 'created');
      refused(await hub.as('ALICE', 'SENIOR_APPROVER').query(DECIDE, { id: submitted.id, decision: 'DECLINE', reasonCode: 'DCL_POLICY' }), 'FORBIDDEN', 'alice submitted this application');
      refused(await bob.query(ASSIGN, { id: submitted.id, user: 'Ｓａｍ ' }), 'BAD_USER_INPUT', 'sam made this application');
      refused(await bob.query(ASSIGN, { id: submitted.id, user: 'System' }), 'BAD_USER_INPUT', "the hub's own name");
    });
    expect(ok(await bob.query<{ decideApplication: ApplicationView }>(DECIDE, { id: mine.id, decision: 'DECLINE', reasonCode: 'DCL_POLICY', comment: '额度已满足' })).decideApplication).toMatchObject({
      state: 'DECLINED',
      decision: { againstModel: true, reasonCode: 'DCL_POLICY' },
    });
  });

  it('approves within each role\'s authority for the product, and books the line approved, never more', async () => {
    const large = await submit(alice, (await create(alice, 6, '1000000', 24)).id);
    expect(large).toMatchObject({ state: 'IN_REVIEW', assessment: { decision: 'APPROVE' } });
    expect(Number(large.assessment!.recommendedLimit!.amount)).toBeGreaterThanOrEqual(1000000);
    const authority = ok(await bob.query<{ products: { id: string; approvalAuthority: { role: string; maxAmount: { amount: string } }[] }[] }>('{ products { id approvalAuthority { role maxAmount { amount } } } }')).products;
    expect(authority.find((product) => product.id === 'invoice-loan')!.approvalAuthority).toEqual([
      { role: 'APPROVER', maxAmount: { amount: '800000.00' } },
      { role: 'SENIOR_APPROVER', maxAmount: { amount: '2000000.00' } },
    ]);
    await changesNothing(async () => {
      refused(await bob.query(DECIDE, { id: large.id, decision: 'APPROVE' }), 'FORBIDDEN', "approving 1000000.00 is above an APPROVER's authority of 800000.00 for invoice-loan: it needs a SENIOR_APPROVER");
      refused(await bob.query(DECIDE, { id: large.id, decision: 'APPROVE', amount: '800000.01' }), 'FORBIDDEN', "above an APPROVER's authority");
      refused(await carol.query(DECIDE, { id: large.id, decision: 'APPROVE', amount: '1000000.01' }), 'BAD_USER_INPUT', 'is more than the 1000000.00 applied for');
      refused(await carol.query(DECIDE, { id: large.id, decision: 'APPROVE', amount: '29999.99' }), 'BAD_USER_INPUT', "below invoice-loan's minimum");
      refused(await carol.query(DECIDE, { id: large.id, decision: 'APPROVE', amount: 'lots' }), 'BAD_USER_INPUT');
      refused(await carol.query(DECIDE, { id: large.id, decision: 'DECLINE', reasonCode: 'DCL_POLICY', comment: '额度', amount: '500000' }), 'BAD_USER_INPUT', 'a decline approves no amount');
    });
    // Within the approver's own authority, less than was applied for: the line is what was approved.
    expect(ok(await bob.query<{ decideApplication: ApplicationView }>(DECIDE, { id: large.id, decision: 'APPROVE', amount: '800000' })).decideApplication).toMatchObject({
      state: 'APPROVED',
      amount: { amount: '1000000.00' },
      decision: { deciderRole: 'APPROVER', againstModel: false, approvedAmount: { amount: '800000.00' } },
      loan: { amount: { amount: '800000.00' }, limit: { amount: '800000.00' } },
    });
  });

  it('needs a known reason code and a comment to go against the model, and a reason code for every decline', async () => {
    // An enterprise the model approves, for 100,000 more than its limit, within an approver's own authority.
    const authority = { 'invoice-loan': 800_000, 'tax-loan': 1_000_000 } as const;
    const candidates = [];
    for (const product of ['invoice-loan', 'tax-loan'] as const) {
      for (const n of [1, 2, 3, 6, 7, 14]) candidates.push({ n, product, view: await riskView(n, product) });
    }
    const target = candidates.find(({ product, view }) => view.decision === 'APPROVE' && Number(view.recommendedLimit!.amount) + 100_000 <= authority[product])!;
    expect(target).toBeDefined();
    const amount = String(Number(target.view.recommendedLimit!.amount) + 100_000);
    const aboveLimit = await submit(alice, (await create(alice, target.n, amount, 12, target.product)).id);
    expect(aboveLimit.state).toBe('IN_REVIEW');
    expect(Number(aboveLimit.assessment!.recommendedLimit!.amount)).toBeLessThan(Number(amount));
    const limit = aboveLimit.assessment!.recommendedLimit!.amount;
    await changesNothing(async () => {
      // Above the model's limit is a senior approver's to decide, whoever gives reasons.
      refused(await bob.query(DECIDE, { id: aboveLimit.id, decision: 'APPROVE', reasonCode: 'OVR_COLLATERAL', comment: '有房产抵押' }), 'FORBIDDEN', `above the model's recommended limit of ${limit}: it needs a SENIOR_APPROVER`);
      refused(await carol.query(DECIDE, { id: aboveLimit.id, decision: 'APPROVE' }), 'BAD_USER_INPUT', "against the model's advice");
      refused(await carol.query(DECIDE, { id: aboveLimit.id, decision: 'APPROVE', reasonCode: 'OVR_COLLATERAL' }), 'BAD_USER_INPUT', 'needs a reasonCode and a comment');
      refused(await carol.query(DECIDE, { id: aboveLimit.id, decision: 'APPROVE', reasonCode: 'FRIEND_OF_MINE', comment: 'trust me' }), 'BAD_USER_INPUT', 'FRIEND_OF_MINE is not a known reason');
      refused(await bob.query(DECIDE, { id: aboveLimit.id, decision: 'DECLINE' }), 'BAD_USER_INPUT', 'a decline needs a reasonCode');
    });
    const approved = ok(await carol.query<{ decideApplication: ApplicationView }>(DECIDE, { id: aboveLimit.id, decision: 'APPROVE', reasonCode: 'OVR_COLLATERAL', comment: '有房产抵押' })).decideApplication;
    const line = { amount: `${amount}.00` };
    expect(approved).toMatchObject({ state: 'APPROVED', decision: { againstModel: true, reasonCode: 'OVR_COLLATERAL', approvedAmount: line }, loan: { amount: line, limit: line } });
  });

  it('books no line above what was approved, whatever writes the loan book', async () => {
    const db = testStore.store.db;
    const over = await db.selectFrom('loan').innerJoin('application', 'application.id', 'loan.applicationId').select(sql<string>`count(*)`.as('n')).whereRef('loan.limitFen', '>', 'application.approvedAmountFen').executeTakeFirstOrThrow();
    const unapproved = await db.selectFrom('loan').innerJoin('application', 'application.id', 'loan.applicationId').select(sql<string>`count(*)`.as('n')).where('application.approvedAmountFen', 'is', null).executeTakeFirstOrThrow();
    expect([over.n, unapproved.n]).toEqual(['0', '0']);
    const loan = await db.selectFrom('loan').select(['id', 'applicationId', 'enterpriseId']).orderBy('id').executeTakeFirstOrThrow();
    await expect(sql`UPDATE loan SET limit_fen = limit_fen + 1 WHERE id = ${loan.id}`.execute(db)).rejects.toThrow(/above the \d+ fen approved/);
    const declined = await db.selectFrom('application').select('id').where('decision', '=', 'DECLINE').executeTakeFirstOrThrow();
    await expect(
      sql`INSERT INTO loan (application_id, enterprise_id, product, amount_fen, limit_fen, term_months, opened_at, matures_on)
        SELECT id, enterprise_id, product, amount_fen, amount_fen, term_months, decided_at, '2027-12-01' FROM application WHERE id = ${declined.id}`.execute(db),
    ).rejects.toThrow(/above the none fen approved/);
  });

  it('refuses transitions the state machine does not allow, changing nothing', async () => {
    const approved = (await rita.query<{ applications: { edges: { node: { id: string } }[] } }>('{ applications(filter: { state: APPROVED }, first: 1) { edges { node { id } } } }')).data!.applications.edges[0]!.node.id;
    const draft = await create(alice, 3, '100000');
    await changesNothing(async () => {
      refused(await bob.query(DECIDE, { id: draft.id, decision: 'APPROVE' }), 'INVALID_STATE', 'the application is DRAFT; it can be decided only when IN_REVIEW');
      refused(await alice.query(WITHDRAW, { id: approved }), 'INVALID_STATE', 'it can be withdrawn only when DRAFT or AWAITING_CONSENT or IN_REVIEW');
      refused(await alice.query(SUBMIT, { id: approved }), 'INVALID_STATE', 'APPROVED');
      refused(await bob.query(DECIDE, { id: approved, decision: 'DECLINE', reasonCode: 'DCL_POLICY' }), 'INVALID_STATE');
      refused(await alice.query(SUBMIT, { id: Buffer.from('Application:999999').toString('base64url') }), 'NOT_FOUND');
      refused(await alice.query(SUBMIT, { id: Buffer.from('Enterprise:1').toString('base64url') }), 'BAD_USER_INPUT', 'expected an id of type Application');
    });
    await changesNothing(async () => refused(await sam.query(WITHDRAW, { id: draft.id }), 'FORBIDDEN', 'only alice, who made this application, can withdraw it'));
    expect(ok(await alice.query<{ withdrawApplication: ApplicationView }>(WITHDRAW, { id: draft.id })).withdrawApplication.state).toBe('WITHDRAWN');
    await changesNothing(async () => refused(await alice.query(SUBMIT, { id: draft.id }), 'INVALID_STATE', 'WITHDRAWN'));
  });
});

describe('a submission cut short', () => {
  it('is refused while it may still be running, and taken up again once it has stalled', async () => {
    const draft = await create(alice, 3, '100000');
    const id = Buffer.from(draft.id, 'base64url').toString().split(':')[1];
    // As a hub stopped mid-collection leaves it.
    const collecting = (since: string) =>
      sql.raw(`UPDATE application SET state = 'COLLECTING', submitted_by = 'alice', updated_at = ${since}, version = version + 1 WHERE id = ${id}`).execute(testStore.store.db);
    await collecting(sqlTime(now()));
    await changesNothing(async () => refused(await alice.query(SUBMIT, { id: draft.id }), 'INVALID_STATE', 'COLLECTING'));
    await sql.raw(`UPDATE application SET updated_at = ${sqlTime(new Date(now().getTime() - 3600_000))} WHERE id = ${id}`).execute(testStore.store.db);
    // Whoever takes it up would have submitted it too, and could then check it: only alice may.
    await changesNothing(async () => refused(await sam.query(SUBMIT, { id: draft.id }), 'FORBIDDEN', 'alice submitted this application; only they can submit it again'));
    const resumed = await submit(alice, draft.id);
    expect(resumed.state).toBe('IN_REVIEW');
    expect(resumed.assessment).not.toBeNull();
  });
});

describe('consent', () => {
  const enterpriseId = async (n: number) =>
    ok(await alice.query<{ enterprise: { id: string; consents: { id: string; status: string }[] } }>('query($uscc: String) { enterprise(uscc: $uscc) { id consents { id status } } }', { uscc: uscc(n) })).enterprise;
  const grant = async (id: string, scopes: string[], expiresAt = new Date(now().getTime() + 365 * DAY)) =>
    ok(await alice.query(GRANT, { input: { enterpriseId: id, scopes, purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: expiresAt.toISOString(), evidenceRef: `consents/${scopes.join('-')}.pdf` } }));

  it('is required for every source the product needs: missing, revoked or expired, CONSENT_REQUIRED names them and nothing changes', async () => {
    const enterprise = await enterpriseId(4);
    for (const consent of enterprise.consents) ok(await alice.query('mutation($id: ID!) { revokeConsent(id: $id) { status } }', { id: consent.id }));
    const draft = await create(alice, 4, '100000');
    expect(draft.missingConsentScopes).toEqual(['registry', 'invoice', 'tax', 'court', 'utility', 'social-insurance']);
    const runs = async () => (await testStore.store.db.selectFrom('syncRun').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    const runsBefore = await runs();

    await changesNothing(async () => {
      const error = refused(await alice.query(SUBMIT, { id: draft.id }), 'CONSENT_REQUIRED', 'no valid consent for registry, invoice, tax, court, utility, social-insurance');
      expect(error.extensions).toMatchObject({ missingScopes: ['registry', 'invoice', 'tax', 'court', 'utility', 'social-insurance'] });
    });
    await grant(enterprise.id, ['registry', 'invoice', 'tax', 'utility', 'social-insurance']);
    await changesNothing(async () => {
      expect(refused(await alice.query(SUBMIT, { id: draft.id }), 'CONSENT_REQUIRED').extensions).toMatchObject({ missingScopes: ['court'] });
    });
    await grant(enterprise.id, ['court'], new Date(now().getTime() + DAY));
    clock.shift = 2 * DAY; // the court consent has expired
    try {
      await changesNothing(async () => {
        expect(refused(await alice.query(SUBMIT, { id: draft.id }), 'CONSENT_REQUIRED').extensions).toMatchObject({ missingScopes: ['court'] });
      });
    } finally {
      clock.shift = 0;
    }
    // No source was pulled for it meanwhile.
    expect(await runs()).toBe(runsBefore);
    expect((await get(draft.id)).state).toBe('DRAFT');
  });

  it("needs the legal representative's own authorization of the pulls that bring their data, as well as the enterprise's", async () => {
    const enterprise = ok(await alice.query<{ enterprise: { id: string; personConsents: { id: string }[] } }>('query($uscc: String) { enterprise(uscc: $uscc) { id personConsents { id } } }', { uscc: uscc(7) })).enterprise;
    for (const consent of enterprise.personConsents) ok(await alice.query('mutation($id: ID!) { revokePersonConsent(id: $id) { status } }', { id: consent.id }));
    const draft = ok(await alice.query<{ createApplication: { id: string; missingConsentScopes: string[]; missingPersonAuthorizations: unknown[] } }>(
      'mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id missingConsentScopes missingPersonAuthorizations { role scope personKnown } } }',
      { input: { uscc: uscc(7), product: 'invoice-loan', amount: '100000', termMonths: 12 } },
    )).createApplication;
    expect(draft.missingConsentScopes).toEqual([]);
    expect(draft.missingPersonAuthorizations).toEqual([{ role: 'LEGAL_REPRESENTATIVE', scope: 'court', personKnown: true }]);
    await changesNothing(async () => {
      const error = refused(await alice.query(SUBMIT, { id: draft.id }), 'CONSENT_REQUIRED', 'the legal representative has not authorized court themselves, which invoice-loan needs');
      expect(error.extensions).toMatchObject({ missingScopes: [], missingPersonAuthorizations: [{ role: 'LEGAL_REPRESENTATIVE', scope: 'court', personKnown: true }] });
    });
    // They sign, with the ID number the registry knows them by.
    const bundle = portfolio.enterprises[6]!;
    const key = (bundle.relations.find((relation) => relation.type === 'LEGAL_REPRESENTATIVE' && relation.validTo === null && relation.from.kind === 'PERSON')!.from as { personKey: string }).personKey;
    const person = portfolio.persons.find((candidate) => candidate.key === key)!;
    ok(await alice.query('mutation($input: GrantPersonConsentInput!) { grantPersonConsent(input: $input) { id } }', {
      input: { enterpriseId: enterprise.id, role: 'LEGAL_REPRESENTATIVE', name: person.name, idNumber: person.idNumber, scopes: ['court'], purpose: 'PRE_LOAN_ASSESSMENT', expiresAt: new Date(now().getTime() + 300 * DAY).toISOString(), evidenceRef: 'auth/7.pdf' },
    }));
    expect((await submit(alice, draft.id)).state).not.toBe('DRAFT');
  });

  it('waits for consent when one lapses between the check and the pull, and goes on once it is granted again', async () => {
    const enterprise = await enterpriseId(5);
    for (const consent of enterprise.consents) ok(await alice.query('mutation($id: ID!) { revokeConsent(id: $id) { status } }', { id: consent.id }));
    await grant(enterprise.id, ['registry', 'invoice', 'tax', 'utility', 'social-insurance']);
    await grant(enterprise.id, ['court'], new Date(now().getTime() + DAY));
    const draft = await create(alice, 5, '100000');
    // Time passes the court consent's expiry once the tax bureau has been asked: after the
    // check, before the court's pull (the product's sources are pulled in order).
    const tax = upstreams.sandboxes.get('tax')!;
    const asked = tax.stats().requests;
    Object.assign(clock, { jump: 2 * DAY, jumpWhen: () => tax.stats().requests > asked });
    let waiting: ApplicationView;
    try {
      waiting = await submit(alice, draft.id);
    } finally {
      Object.assign(clock, { jump: 0, jumpWhen: () => false });
    }
    expect(waiting).toMatchObject({ state: 'AWAITING_CONSENT', missingConsentScopes: ['court'], assessment: null });
    const refusedRun = await testStore.store.db.selectFrom('syncRun').select(['status', 'source']).where('source', '=', 'court').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(refusedRun.status).toBe('REFUSED');

    await grant(enterprise.id, ['court']);
    const resumed = await submit(alice, draft.id);
    expect(['APPROVED', 'DECLINED', 'IN_REVIEW']).toContain(resumed.state);
    expect(resumed.assessment).not.toBeNull();
  });
});

describe('applications', () => {
  it('are listed latest first with Relay paging, filtered by state, product, assignee and enterprise', async () => {
    type Page = { applications: { totalCount: number; edges: { cursor: string; node: { id: string; state: string; product: string; assignee: string | null } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const PAGE = 'query($filter: ApplicationFilter, $first: Int, $after: String) { applications(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id state product assignee } } pageInfo { hasNextPage endCursor } } }';
    const all = ok(await bob.query<Page>(PAGE, { first: 100 })).applications;
    const first = ok(await bob.query<Page>(PAGE, { first: 2 })).applications;
    const second = ok(await bob.query<Page>(PAGE, { first: 2, after: first.pageInfo.endCursor })).applications;
    expect([...first.edges, ...second.edges].map((edge) => edge.node.id)).toEqual(all.edges.slice(0, 4).map((edge) => edge.node.id));
    expect(first.totalCount).toBe(all.edges.length);

    const approved = ok(await bob.query<Page>(PAGE, { filter: { state: 'APPROVED' }, first: 100 })).applications;
    const inStore = await testStore.store.db.selectFrom('application').select(sql<string>`count(*)`.as('n')).where('state', '=', 'APPROVED').executeTakeFirstOrThrow();
    expect(approved.edges.length).toBe(Number(inStore.n));
    expect(approved.edges.length).toBeGreaterThanOrEqual(3);
    expect(approved.edges.every((edge) => edge.node.state === 'APPROVED')).toBe(true);
    expect(ok(await bob.query<Page>(PAGE, { filter: { assignee: 'bob' }, first: 100 })).applications.edges.map((edge) => edge.node.assignee)).toEqual(['bob']);
    const taxLoans = await testStore.store.db.selectFrom('application').select(sql<string>`count(*)`.as('n')).where('product', '=', 'tax-loan').executeTakeFirstOrThrow();
    const byProduct = ok(await bob.query<Page>(PAGE, { filter: { product: 'tax-loan' }, first: 100 })).applications;
    expect([byProduct.totalCount, byProduct.edges.every((edge) => edge.node.product === 'tax-loan')]).toEqual([Number(taxLoans.n), true]);
    const enterprise = ok(await bob.query<{ enterprise: { id: string } }>('query($uscc: String) { enterprise(uscc: $uscc) { id } }', { uscc: uscc(2) })).enterprise.id;
    expect(ok(await bob.query<Page>(PAGE, { filter: { enterpriseId: enterprise }, first: 100 })).applications.totalCount).toBe(3);
    refused(await bob.query(PAGE, { first: 101 }), 'BAD_USER_INPUT', 'first must be between 1 and 100');
  });

  it('read a page with its assessments, loans and enterprises in a fixed number of statements', async () => {
    const LIST = 'query($first: Int) { applications(first: $first) { edges { node { state enterprise { name } assessment { grade reasonCodes { code } } loan { limit { amount } } } } } }';
    const statementsFor = async (first: number) => {
      const before = testStore.store.statementCount();
      ok(await bob.query(LIST, { first }));
      return testStore.store.statementCount() - before;
    };
    // The page, then one statement each for the enterprises, the assessments and the loans.
    const ten = await statementsFor(10);
    expect(ten).toBe(4);
    expect(await statementsFor(100)).toBe(ten);
  });

  it('expire when left open past the product\'s time', async () => {
    const draft = await create(alice, 3, '90000');
    clock.shift = 31 * DAY;
    try {
      refused(await alice.query(SUBMIT, { id: draft.id }), 'INVALID_STATE', 'expired');
      refused(await bob.query('mutation { expireApplications }'), 'FORBIDDEN');
      expect(ok(await admin.query<{ expireApplications: number }>('mutation { expireApplications }')).expireApplications).toBeGreaterThanOrEqual(1);
    } finally {
      clock.shift = 0;
    }
    expect((await get(draft.id)).state).toBe('EXPIRED');
  });
});

describe('the audit trail', () => {
  type Events = { auditEvents: { totalCount: number; edges: { node: { actor: string; roles: string[]; action: string; subject: string; before: unknown; after: { state?: string }; requestId: string | null; enterprise: { uscc: string } | null } }[] } };
  const TRAIL = 'query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 100) { totalCount edges { node { actor roles action subject before after requestId enterprise { uscc } } } } }';

  it('records every step of an application: who, in which role, before and after, from which request', async () => {
    const application = await create(alice, 2, '450000', 12);
    await submit(alice, application.id);
    await bob.query(DECIDE, { id: application.id, decision: 'APPROVE' });
    const trail = ok(await rita.query<Events>(TRAIL, { filter: { subject: application.id } })).auditEvents.edges.map((edge) => edge.node).reverse();
    expect(trail.map((event) => [event.actor, event.action, event.after.state])).toEqual([
      ['alice', 'CREATE_APPLICATION', 'DRAFT'],
      ['alice', 'SUBMIT_APPLICATION', 'COLLECTING'],
      ['alice', 'ASSESS_APPLICATION', 'ASSESSED'],
      ['alice', 'REFER_APPLICATION', 'IN_REVIEW'],
      ['bob', 'DECIDE_APPLICATION', 'APPROVED'],
    ]);
    expect(trail[4]).toMatchObject({ roles: ['APPROVER'], subject: application.id, before: { state: 'IN_REVIEW' }, enterprise: { uscc: uscc(2) }, requestId: expect.any(String) });
    const pulls = ok(await rita.query<Events>(TRAIL, { filter: { action: 'PULL_DATA', actor: 'alice' } })).auditEvents;
    expect(pulls.totalCount).toBeGreaterThanOrEqual(4);
    const booked = ok(await admin.query<Events>(TRAIL, { filter: { action: 'BOOK_LOAN', actor: 'bob' } })).auditEvents;
    expect(booked.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('is append-only, and the frozen assessments and the maker-checker rules hold in the store itself', async () => {
    const db = testStore.store.db;
    await expect(sql`UPDATE audit_event SET actor = 'nobody'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_event`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE application_assessment SET score = 999`.execute(db)).rejects.toThrow(/append-only/);

    const review = await submit(alice, (await create(alice, 2, '350000', 12)).id);
    const id = Buffer.from(review.id, 'base64url').toString().split(':')[1]!;
    const decide = (set: string) =>
      sql.raw(`UPDATE application SET state = 'APPROVED', decision = 'APPROVE', decision_basis = 'MANUAL', decided_at = ${sqlTime(now())}, approved_amount_fen = amount_fen, ${set} WHERE id = ${id}`).execute(db);
    await expect(decide(`decided_by = 'alice', decider_role = 'APPROVER'`)).rejects.toThrow(/maker_is_not_checker/);
    // Another spelling of alice is no other person: the store holds canonical names only.
    for (const spelling of ['Alice', 'alice ', 'ａｌｉｃｅ', 'a\u200blice']) {
      await expect(decide(`decided_by = '${spelling}', decider_role = 'APPROVER'`)).rejects.toThrow(/decided_by_is_canonical/);
    }
    await expect(sql.raw(`UPDATE application SET assignee = 'Bob' WHERE id = ${id}`).execute(db)).rejects.toThrow(/assignee_is_canonical/);
    await expect(decide(`decided_by = 'mallory', decider_role = 'ANALYST'`)).rejects.toThrow(/checker_has_approver_role/);
    await expect(decide(`decided_by = 'bob', decider_role = 'APPROVER', submitted_by = 'carol'`)).rejects.toThrow(/the submitter never changes/);
    await expect(decide(`decided_by = 'bob', decider_role = 'APPROVER', recommended_decision = 'APPROVE', recommended_limit_fen = 100000000000`)).rejects.toThrow(/set by the assessment only/);
    await expect(
      sql.raw(`UPDATE application SET state = 'APPROVED', decision = 'APPROVE', decision_basis = 'AUTOMATIC', decided_by = 'system', decided_at = ${sqlTime(now())} WHERE id = ${id}`).execute(db),
    ).rejects.toThrow(/AUTOMATIC decision from IN_REVIEW/);
    await expect(sql.raw(`UPDATE application SET state = 'DRAFT' WHERE id = ${id}`).execute(db)).rejects.toThrow(/not a transition/);
    await expect(sql.raw(`UPDATE application SET amount_fen = 1 WHERE id = ${id}`).execute(db)).rejects.toThrow(/never changes/);
    await expect(sql.raw(`DELETE FROM application WHERE id = ${id}`).execute(db)).rejects.toThrow(/append-only/);
    expect((await get(review.id)).state).toBe('IN_REVIEW');
  });
});
