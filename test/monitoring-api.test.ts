import { sql } from 'kysely';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Role } from '../src/auth/roles.js';
import { seedDemo } from './support/demo.js';
import { startTestHub, testToken, type GraphQLClient, type GraphQLResponse, type TestHub } from './support/hub.js';
import { bookLoans } from './support/loans.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * Monitoring over HTTP as the credit officers' screens use it: a refresh of the loan book
 * raises each new signal once as an alert, and alerts are handled along their lifecycle.
 */
let testStore: TestStore;
let hub: TestHub;
let rita: GraphQLClient; // RISK_MANAGER
let alice: GraphQLClient; // ANALYST
let booked: string[];

beforeAll(async () => {
  testStore = await openTestStore();
  await seedDemo(testStore.store, 40);
  hub = await startTestHub(testStore.store);
  rita = hub.as('rita', 'RISK_MANAGER');
  alice = hub.as('alice', 'ANALYST');
  // A loan book: every other enterprise of the portfolio has a live line of 500,000.00.
  const db = testStore.store.db;
  const enterprises = (await db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
  booked = enterprises.filter((_, i) => i % 2 === 0);
  await bookLoans(db, booked, { now: hub.now() });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await testStore?.dispose();
});

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

const REFRESH = 'mutation { refreshMonitoring { enterprises signals raised } }';
const ALERTS = `query($filter: AlertFilter, $first: Int, $after: String) { alerts(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id status assignee recommendedAction resolutionNote createdAt enterprise { id uscc } signal { code severity evidence detectedAt } history { code severity evidence } } } } }`;
type Occurrence = { code: string; severity: string; evidence: Record<string, unknown> };
type AlertView = {
  id: string;
  status: string;
  assignee: string | null;
  recommendedAction: string;
  resolutionNote: string | null;
  enterprise: { id: string; uscc: string };
  signal: { code: string; severity: string; evidence: { source: string } };
  history: Occurrence[];
};
type Alerts = { alerts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: AlertView }[] } };

describe('refreshing the loan book', () => {
  let first: { enterprises: number; signals: number; raised: number };

  it('raises the signals of every enterprise with a live loan as alerts, one per enterprise and condition, each signal once', async () => {
    first = ok(await rita.query<{ refreshMonitoring: typeof first }>(REFRESH)).refreshMonitoring;
    expect(first.enterprises).toBe(booked.length);
    expect(first.raised).toBeGreaterThan(0);
    const alerts = ok(await rita.query<Alerts>(ALERTS, { first: 100 })).alerts;
    expect(alerts.totalCount).toBe(first.raised);
    // Every signal is in one alert's history; several of one code at one enterprise make one alert.
    expect(alerts.edges.reduce((sum, { node }) => sum + node.history.length, 0)).toBe(first.signals);
    expect(new Set(alerts.edges.map(({ node }) => `${node.enterprise.uscc} ${node.signal.code}`)).size).toBe(alerts.totalCount);
    expect(first.raised).toBeLessThan(first.signals);
    for (const { node } of alerts.edges) {
      expect(node.history.every((occurrence) => occurrence.code === node.signal.code)).toBe(true);
      expect(node.signal.evidence).toEqual(node.history.at(-1)!.evidence);
      expect(node.signal.severity).toBe(['CRITICAL', 'WARNING', 'INFO'].find((severity) => node.history.some((occurrence) => occurrence.severity === severity)));
    }
    const bookedUsccs = new Set((await testStore.store.db.selectFrom('enterprise').select('uscc').where('id', 'in', booked).execute()).map((row) => row.uscc));
    for (const { node } of alerts.edges) {
      expect(bookedUsccs.has(node.enterprise.uscc)).toBe(true);
      expect(node).toMatchObject({ status: 'OPEN', assignee: null, signal: { evidence: { source: expect.any(String) } } });
    }

    // Enterprises related to one with a CRITICAL alert are flagged in the same sweep, after every batch.
    const critical = new Set(alerts.edges.filter(({ node }) => node.signal.severity === 'CRITICAL').map(({ node }) => node.enterprise.uscc));
    const related = alerts.edges.filter(({ node }) => node.signal.code === 'RELATED_CRITICAL_ALERT');
    expect(related.length).toBeGreaterThan(0);
    for (const { node } of related) expect(critical.has((node.signal.evidence as unknown as { relatedUscc: string }).relatedUscc)).toBe(true);

    // Nothing new upstream: a second refresh raises nothing.
    expect(ok(await rita.query<{ refreshMonitoring: typeof first }>(REFRESH)).refreshMonitoring).toMatchObject({ enterprises: booked.length, raised: 0 });
    expect(ok(await rita.query<Alerts>(ALERTS, { first: 1 })).alerts.totalCount).toBe(first.raised);
  });

  it('raises what is new since the previous refresh', async () => {
    const enterpriseId = booked[1]!;
    await testStore.store.db
      .insertInto('abnormalOperation')
      .values({ enterpriseId, reason: '通过登记的住所或者经营场所无法联系', listedOn: hub.now().toISOString().slice(0, 10), source: 'registry', externalId: `ABN-${enterpriseId}-new`, payloadHash: 'h', observedAt: hub.now() })
      .execute();
    expect(ok(await rita.query<{ refreshMonitoring: typeof first }>(REFRESH)).refreshMonitoring).toMatchObject({ raised: 1 });
    const [latest] = ok(await rita.query<Alerts>(ALERTS, { first: 1 })).alerts.edges;
    expect(latest!.node).toMatchObject({ status: 'OPEN', recommendedAction: 'REDUCE_LIMIT', signal: { code: 'ABNORMAL_OPERATIONS', severity: 'WARNING', evidence: { source: 'registry' } } });
    expect(Buffer.from(latest!.node.enterprise.id, 'base64url').toString()).toBe(`Enterprise:${enterpriseId}`);
  });

  it('keeps one alert while its condition holds: new evidence joins its history, its severity rises, and it is raised anew only once resolved', async () => {
    const enterpriseId = booked[2]!;
    const enterprise = Buffer.from(`Enterprise:${enterpriseId}`).toString('base64url');
    const lawsuit = async (n: number, amountFen: string) =>
      testStore.store.db
        .insertInto('courtCase')
        .values({ enterpriseId, caseNumber: `（2026）苏0505民初9${n}号`, court: '苏州市虎丘区人民法院', caseKind: 'CIVIL', cause: `买卖合同纠纷${n}`, partyRole: 'DEFENDANT', amountFen, filedOn: hub.now().toISOString().slice(0, 10), status: 'OPEN', judgmentOn: null, source: 'court', externalId: `CASE-${enterpriseId}-${n}`, payloadHash: 'h', observedAt: hub.now() })
        .execute();
    const standing = async () =>
      ok(await rita.query<Alerts>(ALERTS, { filter: { enterpriseId: enterprise }, first: 100 })).alerts.edges.map(({ node }) => node).filter((node) => node.signal.code === 'LAWSUIT_AS_DEFENDANT');
    expect(await standing()).toEqual([]);

    // A claim of 200,000 yuan: WARNING.
    await lawsuit(1, '20000000');
    expect(ok(await rita.query<{ refreshMonitoring: typeof first }>(REFRESH)).refreshMonitoring).toMatchObject({ raised: 1 });
    const [raised] = await standing();
    expect(raised).toMatchObject({ status: 'OPEN', signal: { severity: 'WARNING' }, history: [{ severity: 'WARNING' }] });

    // Acknowledged; a second suit of a billion fen: the same alert, its history longer, CRITICAL now.
    ok(await rita.query('mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }', { id: raised!.id }));
    await lawsuit(2, '100000000000');
    // (It may raise an alert at an enterprise related to this one, now CRITICAL; not another of this condition.)
    ok(await rita.query(REFRESH));
    const [held] = await standing();
    expect(held).toMatchObject({ id: raised!.id, status: 'ACKNOWLEDGED', recommendedAction: 'FREEZE', signal: { severity: 'CRITICAL', evidence: { cause: '买卖合同纠纷2' } } });
    expect(held!.history.map((occurrence) => [occurrence.severity, occurrence.evidence.cause])).toEqual([['WARNING', '买卖合同纠纷1'], ['CRITICAL', '买卖合同纠纷2']]);
    const rose = await testStore.store.db.selectFrom('auditEvent').select(['before', 'after']).where('action', '=', 'RAISE_ALERT_SEVERITY').where('subjectId', '=', Buffer.from(raised!.id, 'base64url').toString().split(':')[1]!).execute();
    expect(rose.map((event) => [event.before, event.after])).toEqual([[{ severity: 'WARNING' }, { severity: 'CRITICAL', recommendedAction: 'FREEZE' }]]);

    // Nothing new: nothing changes.
    expect(ok(await rita.query<{ refreshMonitoring: typeof first }>(REFRESH)).refreshMonitoring).toMatchObject({ raised: 0 });
    expect((await standing()).map((node) => node.history.length)).toEqual([2]);

    // Resolved; the condition seen again (a third suit): a new alert.
    ok(await rita.query('mutation($id: ID!) { resolveAlert(id: $id, note: "两起诉讼已与原告和解") { id } }', { id: raised!.id }));
    await lawsuit(3, '20000000');
    expect(ok(await rita.query<{ refreshMonitoring: typeof first }>(REFRESH)).refreshMonitoring).toMatchObject({ raised: 1 });
    const both = await standing();
    expect(both.map((node) => [node.id === raised!.id, node.status, node.history.length])).toEqual([
      [false, 'OPEN', 1],
      [true, 'RESOLVED', 2],
    ]);

    // Whatever happened, no enterprise has two standing alerts of one code.
    const all = await testStore.store.db.selectFrom('alert').select(['enterpriseId', 'code']).where('status', '<>', 'RESOLVED').execute();
    expect(new Set(all.map((alert) => `${alert.enterpriseId} ${alert.code}`)).size).toBe(all.length);
  });

  it('is for risk managers and administrators', async () => {
    const response = await alice.query(REFRESH);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('live alerts over graphql-ws', () => {
  const SUBSCRIBE = 'subscription($min: Severity) { alertRaised(minSeverity: $min) { id status enterprise { uscc legalRepresentative { name } } signal { code severity } } }';
  type Raised = { alertRaised: { id: string; status: string; enterprise: { uscc: string; legalRepresentative: { name: string } | null }; signal: { code: string; severity: string } } };
  const open = async (authorization: string | undefined) => {
    let closing!: (event: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => (closing = resolve));
    const client = createClient({
      url: `${hub.hub.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: authorization === undefined ? {} : { authorization },
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => closing(event as { code: number; reason: string }) },
      onNonLazyError: () => undefined,
    });
    return { client, closed };
  };
  const bearer = async (user: string, ...roles: Role[]) => `Bearer ${await testToken({ user, roles })}`;

  it('reach a subscriber on a real websocket when a refresh raises them, filtered by severity', async () => {
    const { client: warnings } = await open(await bearer('ann', 'ANALYST'));
    const { client: critical } = await open(await bearer('ann', 'ANALYST'));
    const seenWarnings = warnings.iterate<Raised>({ query: SUBSCRIBE, variables: { min: 'WARNING' } });
    const seenCritical = critical.iterate<Raised>({ query: SUBSCRIBE, variables: { min: 'CRITICAL' } });
    const next = seenWarnings.next();
    const criticalNext = seenCritical.next();
    // The subscriptions are registered before the refresh starts.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const enterpriseId = booked[2]!;
    await testStore.store.db
      .insertInto('abnormalOperation')
      .values({ enterpriseId, reason: '公示企业信息隐瞒真实情况、弄虚作假', listedOn: hub.now().toISOString().slice(0, 10), source: 'registry', externalId: `ABN-${enterpriseId}-live`, payloadHash: 'h', observedAt: hub.now() })
      .execute();
    const summary = ok(await rita.query<{ refreshMonitoring: { sweepId: string; raised: number } }>('mutation { refreshMonitoring { sweepId raised } }')).refreshMonitoring;
    expect(summary.raised).toBe(1);
    const event = await next;
    expect(event.done).toBe(false);
    const alert = (event.value as { data: Raised }).data.alertRaised;
    const [stored] = ok(await rita.query<Alerts>(ALERTS, { filter: { sweepId: summary.sweepId }, first: 10 })).alerts.edges;
    expect(alert).toMatchObject({ id: stored!.node.id, status: 'OPEN', signal: { code: 'ABNORMAL_OPERATIONS', severity: 'WARNING' } });
    // The legal representative's name, read in clear by an analyst, is audited: a delivery by the hub naming her.
    const reads = await testStore.store.db.selectFrom('auditEvent').select(['subjectType', 'actor']).where('action', '=', 'READ_PERSONAL_DATA').where(sql<boolean>`recipients @> ARRAY['ann']`).execute();
    expect(alert.enterprise.legalRepresentative).not.toBeNull();
    expect(reads).toEqual([{ subjectType: 'Person', actor: 'system' }]);
    // A WARNING is below the other subscriber's floor.
    expect(await Promise.race([criticalNext.then(() => 'event'), new Promise((resolve) => setTimeout(() => resolve('none'), 300))])).toBe('none');

    // An alert whose severity rises is said again, to the subscribers of its new severity: the
    // WARNING suit standing at an enterprise (from the test before), joined by one of a billion fen.
    const lawsuits = ok(await rita.query<Alerts>(ALERTS, { filter: { enterpriseId: Buffer.from(`Enterprise:${enterpriseId}`).toString('base64url'), status: 'OPEN' }, first: 100 })).alerts;
    const suit = lawsuits.edges.map(({ node }) => node).find((node) => node.signal.code === 'LAWSUIT_AS_DEFENDANT');
    expect(suit?.signal.severity).toBe('WARNING');
    await testStore.store.db
      .insertInto('courtCase')
      .values({ enterpriseId, caseNumber: '（2026）苏0506民初8801号', court: '苏州市姑苏区人民法院', caseKind: 'CIVIL', cause: '承揽合同纠纷', partyRole: 'DEFENDANT', amountFen: '100000000000', filedOn: hub.now().toISOString().slice(0, 10), status: 'OPEN', judgmentOn: null, source: 'court', externalId: `CASE-${enterpriseId}-live`, payloadHash: 'h', observedAt: hub.now() })
      .execute();
    ok(await rita.query(REFRESH));
    const risen = (await criticalNext).value as { data: Raised };
    expect(risen.data.alertRaised).toMatchObject({ id: suit!.id, signal: { code: 'LAWSUIT_AS_DEFENDANT', severity: 'CRITICAL' } });
    await warnings.dispose();
    await critical.dispose();
  });

  it('need a valid token in connectionParams, and a role that reads alerts', async () => {
    const missing = await open(undefined);
    expect(await missing.closed).toMatchObject({ code: 4401, reason: expect.stringContaining('UNAUTHENTICATED') });
    const forged = await open('Bearer a.b.c');
    expect(await forged.closed).toMatchObject({ code: 4401, reason: expect.stringContaining('UNAUTHENTICATED') });

    const { client } = await open(await bearer('dave', 'DATA_ENGINEER'));
    const refused = client.iterate({ query: SUBSCRIBE });
    expect(await refused.next()).toMatchObject({ value: { errors: [{ path: ['alertRaised'], extensions: { code: 'FORBIDDEN' } }] } });
    await client.dispose();
  });
});

describe('alerts', () => {
  const ACK = 'mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }';
  const RESOLVE = 'mutation($id: ID!, $note: String!) { resolveAlert(id: $id, note: $note) { status resolutionNote } }';
  const ESCALATE = 'mutation($id: ID!) { escalateAlert(id: $id) { status } }';
  const ASSIGN = 'mutation($id: ID!, $user: String!) { assignAlert(id: $id, user: $user) { status assignee } }';
  const auditCount = async () => (await testStore.store.db.selectFrom('auditEvent').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;

  it('are filtered and paged', async () => {
    const all = ok(await alice.query<Alerts>(ALERTS, { first: 100 })).alerts;
    const firstPage = ok(await alice.query<Alerts>(ALERTS, { first: 2 })).alerts;
    const secondPage = ok(await alice.query<Alerts>(ALERTS, { first: 2, after: firstPage.pageInfo.endCursor })).alerts;
    expect([...firstPage.edges, ...secondPage.edges].map((edge) => edge.node.id)).toEqual(all.edges.slice(0, 4).map((edge) => edge.node.id));
    const critical = ok(await alice.query<Alerts>(ALERTS, { filter: { severity: 'CRITICAL' }, first: 100 })).alerts;
    expect(critical.edges.every((edge) => edge.node.signal.severity === 'CRITICAL')).toBe(true);
    const one = all.edges[0]!.node.enterprise.id;
    const ofOne = ok(await alice.query<Alerts>(ALERTS, { filter: { enterpriseId: one }, first: 100 })).alerts;
    expect(ofOne.totalCount).toBe(all.edges.filter((edge) => edge.node.enterprise.id === one).length);
    expect((await hub.as('dave', 'DATA_ENGINEER').query(ALERTS, { first: 1 })).errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('go OPEN → ACKNOWLEDGED → RESOLVED with a note, or ESCALATED; anything else is INVALID_STATE and changes nothing', async () => {
    const [a, b] = ok(await alice.query<Alerts>(ALERTS, { filter: { status: 'OPEN' }, first: 2 })).alerts.edges.map((edge) => edge.node.id);
    const before = await auditCount();
    expect((await alice.query(RESOLVE, { id: a, note: '已核实' })).errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' } });
    expect((await alice.query(ESCALATE, { id: a })).errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' } });
    expect((await hub.as('bob', 'APPROVER').query(ACK, { id: a })).errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await auditCount()).toBe(before);

    // Only to a user the hub has seen, holding a role that works alerts.
    expect((await alice.query(ASSIGN, { id: a, user: 'nobody-signed-in' })).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'user' }, message: "user 'nobody-signed-in' is not a user of the hub: work goes to people who have signed in to it" });
    expect((await alice.query(ASSIGN, { id: a, user: 'bob' })).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'user' }, message: "user 'bob' holds none of the roles that work an alert (ANALYST, RISK_MANAGER)" });
    expect(await auditCount()).toBe(before);
    expect(ok(await alice.query(ASSIGN, { id: a, user: 'alice' }))).toEqual({ assignAlert: { status: 'OPEN', assignee: 'alice' } });
    expect(ok(await alice.query(ACK, { id: a }))).toEqual({ acknowledgeAlert: { status: 'ACKNOWLEDGED' } });
    expect((await alice.query(ACK, { id: a })).errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' } });
    expect((await alice.query(RESOLVE, { id: a, note: '  ' })).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(ok(await alice.query(RESOLVE, { id: a, note: '企业已补缴电费，经营正常' }))).toEqual({ resolveAlert: { status: 'RESOLVED', resolutionNote: '企业已补缴电费，经营正常' } });
    expect((await alice.query(ASSIGN, { id: a, user: 'rita' })).errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' } });

    ok(await rita.query(ACK, { id: b }));
    expect(ok(await rita.query(ESCALATE, { id: b }))).toEqual({ escalateAlert: { status: 'ESCALATED' } });

    const trail = ok(await rita.query<{ auditEvents: { edges: { node: { actor: string; action: string } }[] } }>('query($id: ID) { auditEvents(filter: { subject: $id }) { edges { node { actor action } } } }', { id: a }));
    expect(trail.auditEvents.edges.map((edge) => [edge.node.actor, edge.node.action]).reverse()).toEqual([
      ['rita', 'RAISE_ALERT'],
      ['alice', 'ASSIGN_ALERT'],
      ['alice', 'ACKNOWLEDGE_ALERT'],
      ['alice', 'RESOLVE_ALERT'],
    ]);
  });
});
