import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { systemActor } from '../src/audit/audit.js';
import { DemoClock } from '../src/demo/clock.js';
import { DEMO_LOAN_OFFICER, prepareDemo } from '../src/demo/prepare.js';
import { openDemoWorld } from '../src/demo/world.js';
import { createServices } from '../src/graphql/context.js';
import { TEST_PERSON_ID_SALT } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';
import { systemClock, type Clock } from '../src/common/clock.js';

/**
 * Time passes in the demo, as a newcomer sees it: `npm start` prepares a loan book with a
 * history, `simulate` moves the story on a month at a time through the running hub, and each
 * month's alerts reach a subscriber on the hub's websocket as the sweep raises them.
 */
const cli = ['--import', 'tsx', 'src/cli/main.ts'];

interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('time passes in the demo', () => {
  let hub: ChildProcess | undefined;
  afterAll(() => {
    hub?.kill('SIGTERM');
  });

  it('starts with a loan book and its history; simulate moves it on and its alerts reach a subscriber', async () => {
    hub = spawn(process.execPath, [...cli, 'serve'], {
      env: { ...process.env, DATA_DIR: 'memory', DATABASE_URL: '', HUB_URL: '', PORT: '0', DEMO_ENTERPRISES: '40', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: hub.stdout! });
    let url = '';
    const tokens = new Map<string, string>();
    const ask = async <T>(role: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(role)}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer<T>;
    };
    const advance = (role: string, months: number) => ask(role, 'mutation($m: Int!) { advanceDemoClock(months: $m) { monthsAdvanced } }', { m: months });
    let whilePreparing: Answer<unknown> | undefined;
    let ready: { olderLoans: number; currentLoans: number; alerts: number } | undefined;
    for await (const line of lines) {
      const up = /GraphQL at (http:\/\/\S+)\/graphql/.exec(line);
      if (up) url = up[1]!;
      const token = /^ {2}([A-Z_]+) +(\S+\.\S+\.\S+)$/.exec(line);
      if (token) tokens.set(token[1]!, token[2]!);
      if (line.startsWith('Try')) whilePreparing = await advance('RISK_MANAGER', 1);
      if (line.includes('"msg":"demo ready')) {
        ready = JSON.parse(line) as typeof ready;
        break;
      }
      if (line.includes('"demo preparation failed"')) throw new Error(line);
    }
    // Only the preparation moves the clock until the book is ready.
    expect(whilePreparing?.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' }, message: expect.stringContaining('still preparing') });
    expect(ready!.olderLoans).toBeGreaterThan(0);
    expect(ready!.currentLoans).toBeGreaterThan(0);

    // The book: lines opened a year before DEMO_CLOCK through origination, and lines opened now.
    type Clock = { demoClock: { startsOn: string; monthsAdvanced: number; prepared: boolean; upstreamsAsOf: string; today: string; storyEndsAt: string } };
    const clockQuery = '{ demoClock { startsOn monthsAdvanced prepared upstreamsAsOf today storyEndsAt } }';
    const start = await ask<Clock>('ANALYST', clockQuery);
    expect(start.data!.demoClock).toMatchObject({ startsOn: '2026-11-01', monthsAdvanced: 0, prepared: true, upstreamsAsOf: '2026-11-01T00:00:00.000Z', storyEndsAt: '2027-11-01T00:00:00.000Z' });
    const book = await ask<{ loans: { totalCount: number; edges: { node: { openedAt: string; termMonths: number; status: string } }[] } }>(
      'RISK_MANAGER',
      '{ loans(first: 100) { totalCount edges { node { openedAt termMonths status } } } }',
    );
    const loans = book.data!.loans.edges.map((edge) => edge.node);
    expect(book.data!.loans.totalCount).toBe(ready!.olderLoans + ready!.currentLoans);
    const yearAgo = new Date(start.data!.demoClock.today);
    yearAgo.setUTCMonth(yearAgo.getUTCMonth() - 11);
    expect(loans.filter((loan) => new Date(loan.openedAt) < yearAgo && loan.termMonths === 24)).toHaveLength(ready!.olderLoans);
    expect(loans.filter((loan) => new Date(loan.openedAt) >= yearAgo && loan.termMonths === 12)).toHaveLength(ready!.currentLoans);
    const applications = await ask<{ applications: { edges: { node: { state: string } }[] } }>(
      'RISK_MANAGER',
      '{ applications(first: 100) { edges { node { state } } } }',
    );
    expect(applications.errors).toBeUndefined();
    expect(applications.data!.applications.edges.filter((edge) => edge.node.state === 'APPROVED')).toHaveLength(loans.length);

    // What the hub answers today, kept to replay once the story has moved on.
    type Seen = { enterprises: { edges: { node: { id: string; status: string; name: string; registeredCapital: { amount: string } | null; riskView: Record<string, unknown> & { asOf: string } } }[] } };
    const VIEW = 'asOf score grade decision ruleHits { code } recommendedLimit { amount } pricingRateBps';
    const before = await ask<Seen>('RISK_MANAGER', `{ enterprises(first: 40) { edges { node { id status name registeredCapital { amount } riskView { ${VIEW} } } } } }`);
    expect(before.errors).toBeUndefined();

    // A subscriber on the hub's websocket, then two months through the CLI as an operator types it.
    const received: { id: string; signal: { code: string; severity: string } }[] = [];
    const subscriber = createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${tokens.get('RISK_MANAGER')}` }, retryAttempts: 0 });
    const subscribed = new Promise<void>((resolve, reject) => {
      subscriber.on('connected', () => resolve());
      subscriber.subscribe<{ alertRaised: { id: string; signal: { code: string; severity: string } } }>(
        { query: 'subscription { alertRaised { id signal { code severity } } }' },
        { next: (event) => received.push(event.data!.alertRaised), error: reject, complete: () => undefined },
      );
    });
    await subscribed;
    // The alerts standing before the story moves on, with their severity then.
    const standing = new Map<string, string>();
    for (let after: string | null = null; ; ) {
      const page: Answer<{ alerts: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; signal: { severity: string } } }[] } }> = await ask('RISK_MANAGER', 'query($after: String) { alerts(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id signal { severity } } } } }', { after });
      for (const { node } of page.data!.alerts.edges) standing.set(node.id, node.signal.severity);
      if (!page.data!.alerts.pageInfo.hasNextPage) break;
      after = page.data!.alerts.pageInfo.endCursor;
    }
    try {
      const operator = { ...process.env, HUB_URL: url, HUB_TOKEN: tokens.get('RISK_MANAGER'), DATABASE_URL: '', LOG_LEVEL: 'silent' };
      const simulated = await run(['simulate', '--months', '2'], operator);
      expect(simulated).toMatchObject({ code: 0, stderr: '' });
      const output = simulated.stdout.trim().split('\n');
      expect(output.filter((line) => /^\d{4}-\d{2}: /.test(line))).toEqual([
        expect.stringMatching(/^2026-12: the upstreams serve the story as of 2026-12-01; the hub's today is 2026-12-\d\d$/),
        expect.stringMatching(/^2027-01: the upstreams serve the story as of 2027-01-01; the hub's today is 2027-01-\d\d$/),
      ]);
      const sweeps = output.filter((line) => line.startsWith('sweep '));
      expect(sweeps).toHaveLength(2);
      const raised = sweeps.map((line) => Number(/(\d+) new alerts/.exec(line)![1]));
      for (const line of sweeps) expect(line).toContain(`${loans.length} enterprises with a live loan`);
      const printed = output.filter((line) => /^ {2}(CRITICAL|WARNING|INFO) /.test(line));
      expect(printed).toHaveLength(raised[0]! + raised[1]!);
      expect(printed.length).toBeGreaterThan(0);
      // Every alert the sweeps raised reached the subscriber, once as raised; an alert whose
      // condition came back more severe (one from before, or raised in the first month) reached it
      // again, each time with a higher severity.
      const rank: Record<string, number> = { INFO: 1, WARNING: 2, CRITICAL: 3 };
      const raisedNow = () => [...new Set(received.map((alert) => alert.id))].filter((id) => !standing.has(id));
      for (let waited = 0; raisedNow().length < printed.length && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      const severity = new Map(standing);
      const firstAnnouncements: string[] = [];
      for (const alert of received) {
        const before = severity.get(alert.id);
        if (before === undefined) firstAnnouncements.push(alert.signal.code);
        else expect([alert.id, rank[alert.signal.severity]! > rank[before]!]).toEqual([alert.id, true]);
        severity.set(alert.id, alert.signal.severity);
      }
      expect(firstAnnouncements.sort()).toEqual(printed.map((line) => line.trim().split(/\s+/)[1]).sort());
    } finally {
      await subscriber.dispose();
    }

    const moved = await ask<Clock>('ANALYST', clockQuery);
    expect(moved.data!.demoClock).toMatchObject({ monthsAdvanced: 2, upstreamsAsOf: '2027-01-01T00:00:00.000Z' });

    // The replay: two months and two syncs later, each record and risk view as of then is what was answered then.
    let changedSince = 0;
    for (const { node } of before.data!.enterprises.edges) {
      const replay = await ask<{ enterprise: Seen['enterprises']['edges'][number]['node']; now: { status: string; riskView: { decision: string; score: number } } }>(
        'RISK_MANAGER',
        `query($id: ID!, $asOf: DateTime!) {
          enterprise(id: $id, asOf: $asOf) { id status name registeredCapital { amount } riskView(asOf: $asOf) { ${VIEW} } }
          now: enterprise(id: $id) { status riskView { decision score } } }`,
        { id: node.id, asOf: node.riskView.asOf },
      );
      expect(replay.errors).toBeUndefined();
      expect(replay.data!.enterprise).toEqual(node);
      if (replay.data!.now.status !== node.status || replay.data!.now.riskView.score !== node.riskView.score) changedSince++;
    }
    // The story did move: the replay is not just today's answer again.
    expect(changedSince).toBeGreaterThan(0);
    expect(Date.parse(moved.data!.demoClock.today) - Date.parse(start.data!.demoClock.today)).toBeGreaterThanOrEqual(59 * 86_400_000);

    // Past the story's end, the CLI refuses before anything moves; so does the API, by role and by value.
    const operator = { ...process.env, HUB_URL: url, HUB_TOKEN: tokens.get('RISK_MANAGER'), DATABASE_URL: '', LOG_LEVEL: 'silent' };
    const tooFar = await run(['simulate', '--months', '11'], operator);
    expect(tooFar.code).toBe(1);
    expect(tooFar.stderr).toContain("INVALID_STATE: the demo's story ends at 2027-11-01, 10 months after 2027-01-01");
    expect((await advance('RISK_MANAGER', 11)).errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    expect((await advance('RISK_MANAGER', 0)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await advance('ANALYST', 1)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ask<Clock>('ANALYST', clockQuery)).data!.demoClock.monthsAdvanced).toBe(2);

    // Each move is audited: the preparation's, by the hub, and the operator's two.
    const audit = await ask<{ auditEvents: { edges: { node: { actor: string } }[] } }>('RISK_MANAGER', '{ auditEvents(filter: { action: "ADVANCE_DEMO_CLOCK" }, first: 10) { edges { node { actor } } } }');
    expect(audit.data!.auditEvents.edges.map((edge) => edge.node.actor)).toEqual(['demo-risk-manager', 'demo-risk-manager', 'system']);
    // A consent's status is judged on the demo's clock: the demo's consents hold to a year past the story.
    const consents = await ask<{ enterprises: { edges: { node: { consents: { status: string }[] } }[] } }>('ANALYST', '{ enterprises(first: 5) { edges { node { consents { status } } } } }');
    expect(consents.data!.enterprises.edges.flatMap((edge) => edge.node.consents.map((consent) => consent.status))).toEqual(Array(5).fill('ACTIVE'));
  }, 300_000);
});

describe('the demo clock in the store', () => {
  let testStore: TestStore;
  const story = { clock: '2026-11-01', seed: 7, enterprises: 10 };
  const open = (demo = story, create = true, real: Clock = systemClock) => DemoClock.open(testStore.store.db, demo, { create, real }).then((clock) => clock!);
  beforeAll(async () => {
    testStore = await openTestStore();
  }, 60_000);
  afterAll(() => testStore?.dispose());
  beforeEach(() => testStore.reset());

  it('starts at the prehistory, moves only within the story, and refuses a store made for another story', async () => {
    expect(await DemoClock.open(testStore.store.db, story, { create: false, real: systemClock })).toBeUndefined();
    const clock = await open();
    expect(clock.current).toMatchObject({ monthsAdvanced: -12, prepared: false, upstreamsAsOf: '2025-11-01T00:00:00.000Z' });
    await expect(clock.advance(systemActor('test'), 1)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('still preparing') });
    await clock.advance(systemActor('test'), 12, { preparing: true });
    await clock.markPrepared(systemActor('test'));
    await expect(clock.advance(systemActor('test'), 13)).rejects.toMatchObject({ code: 'INVALID_STATE', details: { monthsLeft: 12 } });
    await expect(clock.advance(systemActor('test'), 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await clock.advance(systemActor('test'), 12);
    expect(clock.current).toMatchObject({ monthsAdvanced: 12, upstreamsAsOf: '2027-11-01T00:00:00.000Z', storyEndsAt: '2027-11-01T00:00:00.000Z' });
    await expect(clock.advance(systemActor('test'), 1)).rejects.toMatchObject({ code: 'INVALID_STATE', message: "the demo's story ends at 2027-11-01, 0 months after 2027-11-01" });

    expect((await open(story, false)).current).toMatchObject({ monthsAdvanced: 12, prepared: true });
    await expect(open({ ...story, clock: '2026-10-01' })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('DEMO_CLOCK=2026-11-01, not 2026-10-01') });
    await expect(open({ ...story, seed: 8, enterprises: 11 })).rejects.toMatchObject({ message: expect.stringContaining('DEMO_SEED=7, not 8; DEMO_ENTERPRISES=10, not 11') });
  });

  it.each(['2019-03-04T05:06:07.000Z', '2031-12-31T23:00:00.000Z'])("keeps the hub's today in the month the upstreams stand at, never going back, with the real date at %s", async (realStart) => {
    let real = Date.parse(realStart);
    const clock = await open(story, true, () => new Date(real));
    expect(clock.now().toISOString()).toBe('2025-11-01T00:00:00.000Z');
    real += 20;
    expect(clock.now().toISOString()).toBe('2025-11-01T00:00:00.020Z');
    // A month's end is as far as today goes while the upstreams stay.
    real += 90 * 86_400_000;
    expect(clock.now().toISOString()).toBe('2025-11-30T23:59:59.999Z');
    await clock.advance(systemActor('test'), 1, { preparing: true });
    expect(clock.now().toISOString()).toBe('2025-12-01T00:00:00.000Z');
    // Real time going back (a clock set right) does not take today back.
    real -= 86_400_000;
    expect(clock.now().toISOString()).toBe('2025-12-01T00:00:00.000Z');
  });

  it('moves from where the store has it, so a copy in another process follows', async () => {
    const one = await open();
    const two = await open(story, false);
    await one.advance(systemActor('one'), 1, { preparing: true });
    expect((await two.advance(systemActor('two'), 2, { preparing: true })).monthsAdvanced).toBe(-9);
    expect(await one.reload()).toBe(true);
    expect(one.current.upstreamsAsOf).toBe('2026-02-01T00:00:00.000Z');
    const audit = await testStore.store.db.selectFrom('auditEvent').select(['action', 'purpose']).where('action', '=', 'ADVANCE_DEMO_CLOCK').orderBy('id').execute();
    expect(audit).toEqual([{ action: 'ADVANCE_DEMO_CLOCK', purpose: 'one' }, { action: 'ADVANCE_DEMO_CLOCK', purpose: 'two' }]);
  });
});

describe('a demo preparation cut short', () => {
  let testStore: TestStore;
  const demo = { enabled: true, clock: '2026-11-01', seed: 20261101, enterprises: 13, sandboxFaults: {} };
  beforeAll(async () => {
    testStore = await openTestStore();
  }, 60_000);
  afterAll(() => testStore?.dispose());

  it('finishes on the next start: an application left unsubmitted is submitted, nothing is booked twice, and a restart serves the stored month', async () => {
    const world = (await openDemoWorld(testStore.store, demo, { create: true, real: systemClock, personIdSalt: TEST_PERSON_ID_SALT }))!;
    const services = createServices(testStore.store, { personIdSalt: TEST_PERSON_ID_SALT, demoWorld: world });
    await services.jobs.start({ work: true });
    try {
      // The last run stopped between creating an application and submitting it.
      const { uscc } = world.portfolio.enterprises[0]!;
      const draft = await services.origination.create(DEMO_LOAN_OFFICER, { uscc, product: 'tax-loan', amount: '50000.00', termMonths: 24 });
      const log: string[] = [];
      const prepared = await prepareDemo(services, world, { info: (message) => log.push(message) });
      expect(prepared).toBeDefined();
      expect(log).toEqual(expect.arrayContaining(['demo prehistory: filling the store as of 2025-11-01', 'demo: the clock is at 2026-11-01; syncing every source', 'demo fill complete']));
      const applications = await testStore.store.db.selectFrom('application').select(['id', 'enterpriseId', 'state']).where('createdBy', '=', DEMO_LOAN_OFFICER.user).execute();
      expect(applications.find((application) => application.id === draft.id)?.state).not.toBe('DRAFT');
      expect(new Set(applications.map((application) => application.enterpriseId)).size).toBe(applications.length);
      const loans = await testStore.store.db.selectFrom('loan').select('id').execute();
      expect(loans).toHaveLength(prepared!.olderLoans + prepared!.currentLoans);
      // Every line is what its application approved, which is what was applied for: none above it.
      const lines = await testStore.store.db
        .selectFrom('loan')
        .innerJoin('application', 'application.id', 'loan.applicationId')
        .select(['loan.limitFen', 'application.approvedAmountFen', 'application.amountFen'])
        .execute();
      expect(lines.filter((line) => line.limitFen !== line.approvedAmountFen || BigInt(line.limitFen) > BigInt(line.amountFen))).toEqual([]);

      // Prepared once: a second start does nothing.
      expect(await prepareDemo(services, world, { info: () => undefined })).toBeUndefined();
      expect(await testStore.store.db.selectFrom('loan').select('id').execute()).toHaveLength(loans.length);

      await world.advance(systemActor('test'), 3);
    } finally {
      await services.jobs.stop();
      await world.close();
    }
    const restarted = (await openDemoWorld(testStore.store, demo, { create: false, real: systemClock, personIdSalt: TEST_PERSON_ID_SALT }))!;
    try {
      expect(restarted.clock.current).toMatchObject({ monthsAdvanced: 3, prepared: true });
      for (const sandbox of restarted.upstreams.sandboxes.values()) expect(sandbox.clock()).toBe('2027-02-01T00:00:00.000Z');
    } finally {
      await restarted.close();
    }
  }, 240_000);
});
